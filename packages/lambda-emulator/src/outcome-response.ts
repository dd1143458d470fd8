import type { OutgoingHttpHeaders } from "node:http";
import { errorBody } from "./http-util.js";
import type { Outcome } from "./invocation.js";

export interface HttpAnswer {
  statusCode: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

const JSON_TYPE = "application/json";

/**
 * What the caller of the invoke API gets for each outcome. Status codes and bodies follow the
 * RIE; `X-Amz-Function-Error: Unhandled` follows real Lambda (the RIE forgets it).
 */
export function answerFor(outcome: Outcome, requestId: string): HttpAnswer {
  const base = { "X-Amzn-RequestId": requestId, "X-Amz-Executed-Version": "$LATEST" };
  const unhandled = (statusCode: number, body: Buffer, contentType = JSON_TYPE): HttpAnswer => ({
    statusCode,
    headers: { ...base, "Content-Type": contentType, "X-Amz-Function-Error": "Unhandled" },
    body,
  });

  switch (outcome.kind) {
    case "success":
      return {
        statusCode: 200,
        headers: { ...base, "Content-Type": outcome.contentType ?? JSON_TYPE },
        body: outcome.body,
      };
    case "function-error":
      return unhandled(200, outcome.body);
    case "init-error":
      return unhandled(502, outcome.body);
    case "runtime-error":
      return unhandled(502, errorBody(outcome.errorType, outcome.errorMessage));
    case "response-too-large":
      return unhandled(
        200,
        errorBody(
          "Function.ResponseSizeTooLarge",
          `Response payload size exceeded maximum allowed payload size (${outcome.limitBytes} bytes).`,
        ),
      );
    case "out-of-memory":
      // Lambda answers a memory kill as a function error, 200 (the RIE never enforces memory).
      return unhandled(200, errorBody("Runtime.OutOfMemory", outcome.errorMessage));
    case "timeout":
      // The RIE answers with this plain sentence, not JSON.
      return unhandled(
        200,
        Buffer.from(timeoutMessage(outcome.timeoutSeconds)),
        "text/plain; charset=utf-8",
      );
    case "shutdown":
      return {
        statusCode: 503,
        headers: { ...base, "Content-Type": JSON_TYPE, "X-Amzn-ErrorType": "ServiceException" },
        body: errorBody("ServiceException", "The emulator stopped before the invocation finished"),
      };
  }
}

export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}
