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

  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(new URL(INVOKE_PATH_EXAMPLE, baseUrl), { method: "POST", headers, agent });
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
