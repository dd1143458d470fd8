import { existsSync, readFileSync, statSync } from "node:fs";
import { request } from "node:http";
import { UsageError } from "./usage-error.js";

export const DEFAULT_BODY = '{"message": "Hello World"}';

/** The request body: none means the seed's message; a file path means its content; else JSON text. */
export function requestBody(argument: string | undefined): string {
  if (argument === undefined) return DEFAULT_BODY;
  const fromFile = existsSync(argument) && statSync(argument).isFile();
  const body = fromFile ? readFileSync(argument, "utf8") : argument;
  try {
    JSON.parse(body);
  } catch (error) {
    throw new UsageError(
      fromFile
        ? `${argument}: not valid JSON (${(error as Error).message})`
        : `${JSON.stringify(argument)} is neither a file nor valid JSON (${(error as Error).message})`,
    );
  }
  return body;
}

export interface CallResult {
  readonly status: number;
  readonly functionError: string | null;
  readonly body: string;
}

/**
 * POSTs the body to the invoke API on the port; a clear error when nothing listens there.
 * node:http rather than fetch: fetch refuses ports browsers block (1, 25, 6000, ...), and a
 * local port is the user's choice.
 */
export function callLocal(body: string, port: number, serviceId: string): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "localhost",
        port,
        method: "POST",
        path: "/2015-03-31/functions/function/invocations",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const header = res.headers["x-amz-function-error"];
          resolve({
            status: res.statusCode ?? 0,
            functionError: (Array.isArray(header) ? header[0] : header) ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message;
      reject(
        new UsageError(
          code === "ECONNREFUSED" || code === "ECONNRESET"
            ? `nothing is listening on localhost:${port}: start the service first with pnpm --filter ${serviceId} run local`
            : `cannot reach localhost:${port}: ${code}`,
        ),
      );
    });
    req.end(body);
  });
}

/**
 * Whether the answer is a function error: Lambda and our emulator say so in
 * `X-Amz-Function-Error`; the official RIE omits that header, so an error body (a JSON object
 * with string `errorType` and `errorMessage`, the runtime's error shape) or the RIE's timeout
 * sentence counts too.
 */
export function functionErrorOf(result: CallResult): string | undefined {
  if (result.functionError) return `X-Amz-Function-Error: ${result.functionError}`;
  // The RIE's answer to a timeout: a sentence, not JSON.
  if (/^Task timed out after \d+\.\d\d seconds$/.test(result.body)) {
    return `${result.body}; no X-Amz-Function-Error header, as the official RIE omits it`;
  }
  try {
    const body: unknown = JSON.parse(result.body);
    if (
      typeof body === "object" &&
      body !== null &&
      typeof (body as { errorType?: unknown }).errorType === "string" &&
      typeof (body as { errorMessage?: unknown }).errorMessage === "string"
    ) {
      return `${(body as { errorType: string }).errorType}; no X-Amz-Function-Error header, as the official RIE omits it`;
    }
  } catch {
    // Not JSON: not the runtime's error shape.
  }
  return undefined;
}
