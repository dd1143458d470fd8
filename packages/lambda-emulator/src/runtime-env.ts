import { newLogStreamName } from "./ids.js";
import type { ResolvedOptions } from "./options.js";
import { TELEMETRY_FD } from "./telemetry-frames.js";

/**
 * The environment of one runtime process: ours, plus what Lambda sets for every execution
 * environment, plus the caller's extra variables. aws-lambda-ric needs every AWS_LAMBDA_*
 * variable below; a missing one only shows up after it has taken (and lost) an invocation.
 */
export function runtimeEnvironment(
  options: ResolvedOptions,
  runtimeApiAddress: string,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    AWS_LAMBDA_RUNTIME_API: runtimeApiAddress,
    _HANDLER: options.handler,
    LAMBDA_TASK_ROOT: options.taskRoot,
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memorySizeMb),
    AWS_LAMBDA_FUNCTION_TIMEOUT: String(options.timeoutSeconds),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: newLogStreamName(),
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    // aws-lambda-ric logs to this descriptor (framed, blocking writes) instead of stdout.
    _LAMBDA_TELEMETRY_LOG_FD: String(TELEMETRY_FD),
    // Without it, Powertools reports cold_start: false on the first invocation.
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    ...options.environment,
  };
}
