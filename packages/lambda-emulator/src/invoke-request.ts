import type { IncomingMessage } from "node:http";

/** `X-Amz-Invocation-Type`: how the caller wants the function run. */
type InvocationType = "RequestResponse" | "Event" | "DryRun";

const INVOCATION_TYPES: readonly InvocationType[] = ["RequestResponse", "Event", "DryRun"];
const LOG_TYPES = ["None", "Tail"] as const;

/** What the invoke request's headers ask for, or the validation error Lambda answers. */
export type InvokeHeaders =
  | {
      ok: true;
      invocationType: InvocationType;
      /** `X-Amz-Log-Type: Tail`: answer with the invocation's last 4 KB of log. */
      tail: boolean;
      traceId: string | undefined;
    }
  | { ok: false; message: string };

/** Reads Lambda's invoke headers; a value outside their enums is refused as Lambda words it. */
export function readInvokeHeaders(req: IncomingMessage): InvokeHeaders {
  const invocationType = single(req.headers["x-amz-invocation-type"]) ?? "RequestResponse";
  if (!(INVOCATION_TYPES as readonly string[]).includes(invocationType)) {
    return { ok: false, message: enumError(invocationType, "invocationType", INVOCATION_TYPES) };
  }
  const logType = single(req.headers["x-amz-log-type"]) ?? "None";
  if (!(LOG_TYPES as readonly string[]).includes(logType)) {
    return { ok: false, message: enumError(logType, "logType", LOG_TYPES) };
  }
  return {
    ok: true,
    invocationType: invocationType as InvocationType,
    tail: logType === "Tail",
    traceId: single(req.headers["x-amzn-trace-id"]),
  };
}

function single(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header.join(",") : header;
}

/** Lambda's (Coral's) wording for a value outside an enum. */
function enumError(value: string, field: string, allowed: readonly string[]): string {
  return `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(", ")}]`;
}

/**
 * Whether the function named in the invoke path is the one being served. Lambda accepts a
 * name, a name with `:$LATEST`, or the (partial) ARN; `function` is what the RIE's path uses,
 * so it is accepted too.
 */
export function namesServedFunction(
  pathName: string,
  functionName: string,
  functionArn: string,
): boolean {
  const name = pathName.endsWith(":$LATEST") ? pathName.slice(0, -":$LATEST".length) : pathName;
  if (name === "function" || name === functionName || name === functionArn) return true;
  // A partial ARN, e.g. `123456789012:function:my-function`.
  return name.includes(":function:") && functionArn.endsWith(`:${name}`);
}
