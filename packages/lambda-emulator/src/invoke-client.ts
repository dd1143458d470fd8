import { type Agent, request } from "node:http";
import { INVOKE_PATH_EXAMPLE } from "./invoke-api.js";

export interface InvokeResult {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface InvokeOptions {
  /** Reaches the handler as `context.clientContext`; sent base64-encoded as AWS SDKs do. */
  clientContext?: object;
  /** `X-Amz-Invocation-Type`. @default none (Lambda's default, RequestResponse) */
  invocationType?: string;
  /** `X-Amz-Log-Type`; `Tail` asks for `X-Amz-Log-Result`. */
  logType?: string;
  /** `X-Amzn-Trace-Id`, passed on to the handler. */
  traceId?: string;
  /** The function name in the invoke path. @default "function" (as with the RIE) */
  functionName?: string;
}

/**
 * One real HTTP invoke of the emulator at `baseUrl`. Strings and bytes are sent as they are,
 * anything else as JSON.
 */
export function invokeOverHttp(
  agent: Agent,
  baseUrl: string,
  payload: unknown,
  options: InvokeOptions = {},
): Promise<InvokeResult> {
  const body =
    typeof payload === "string" || payload instanceof Uint8Array
      ? payload
      : (JSON.stringify(payload) ?? "");
  const headers: Record<string, string | number> = {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
  };
  if (options.clientContext !== undefined) {
    headers["X-Amz-Client-Context"] = Buffer.from(JSON.stringify(options.clientContext)).toString(
      "base64",
    );
  }

  if (options.invocationType !== undefined)
    headers["X-Amz-Invocation-Type"] = options.invocationType;
  if (options.logType !== undefined) headers["X-Amz-Log-Type"] = options.logType;
  if (options.traceId !== undefined) headers["X-Amzn-Trace-Id"] = options.traceId;
  const path =
    options.functionName === undefined
      ? INVOKE_PATH_EXAMPLE
      : `/2015-03-31/functions/${encodeURIComponent(options.functionName)}/invocations`;

  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(new URL(path, baseUrl), { method: "POST", headers, agent });
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          statusCode: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    // The server may answer (413) and close before the whole body is sent: that answer counts.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}
