import type { IncomingMessage, ServerResponse } from "node:http";
import type { AwsJsonRequestContext } from "./aws-service.js";

/** Writes a whole response, unless the caller has already gone. */
export function sendResponse(
  res: ServerResponse,
  requestId: string,
  statusCode: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(statusCode, {
    ...headers,
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(body),
    "x-amzn-RequestId": requestId,
  });
  res.end(body);
}

/** The context an operation runs in: its signal aborts when the caller hangs up or the server closes. */
export function requestContext(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  closing: AbortSignal,
): AwsJsonRequestContext {
  const hangUp = new AbortController();
  res.once("close", () => hangUp.abort());
  if (req.socket.destroyed) hangUp.abort();
  return { requestId, signal: AbortSignal.any([hangUp.signal, closing]) };
}
