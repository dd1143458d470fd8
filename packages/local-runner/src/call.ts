import { existsSync, readFileSync, statSync } from "node:fs";
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

/** POSTs the body to the invoke API on the port; a clear error when nothing listens there. */
export async function callLocal(
  body: string,
  port: number,
  serviceId: string,
): Promise<CallResult> {
  const url = `http://localhost:${port}/2015-03-31/functions/function/invocations`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
  } catch (error) {
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    if (cause?.code === "ECONNREFUSED" || cause?.code === "ECONNRESET") {
      throw new UsageError(
        `nothing is listening on localhost:${port}: start the service first with pnpm --filter ${serviceId} run local`,
      );
    }
    throw error;
  }
  return {
    status: response.status,
    functionError: response.headers.get("x-amz-function-error"),
    body: await response.text(),
  };
}
