import { UsageError } from "./cli-args.js";

/**
 * Turns what the SDK throws for the usual mistakes (nothing listening, no credentials, a queue
 * that is not there) into one line saying what to do; undefined for anything else.
 */
export function describeFailure(
  error: unknown,
  endpoint: string | undefined,
  region: string,
): Error | undefined {
  const err = error as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string };
  };
  const code = err.code ?? err.cause?.code;
  if (code === "ECONNREFUSED" || err.name === "TimeoutError") {
    return new UsageError(
      endpoint
        ? `nothing answers at ${endpoint}: start the local environment first (pnpm start)`
        : `cannot reach AWS in ${region}: ${err.message}`,
    );
  }
  if (err.name === "CredentialsProviderError") {
    return new UsageError(
      `no AWS credentials (${err.message}); configure them, or pass --endpoint http://127.0.0.1:4010 for the local environment`,
    );
  }
  if (err.name === "QueueDoesNotExist" || err.name === "AWS.SimpleQueueService.NonExistentQueue") {
    return new UsageError(
      `the queue does not exist ${endpoint ? `at ${endpoint}` : `in ${region}`}: is the app deployed (or running, with pnpm start) from this assembly?`,
    );
  }
  return undefined;
}
