import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

/** The path of a request, without its query string. */
export function requestPath(req: IncomingMessage): string {
  const url = req.url ?? "/";
  // Absolute-form targets ("POST http://host/path") are valid HTTP too, if rare.
  if (!url.startsWith("/")) return URL.canParse(url) ? new URL(url).pathname : url;
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}

/** The `{errorType, errorMessage}` body Lambda and the Runtime API use for errors. */
export function errorBody(errorType: string, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify({ errorType, errorMessage }));
}

/**
 * Writes a whole response unless the client has already gone: a caller that hangs up
 * mid-invoke must not turn into an exception here.
 */
export function send(
  res: ServerResponse,
  statusCode: number,
  headers: OutgoingHttpHeaders,
  body: Buffer | string,
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(statusCode, { ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  statusCode: number,
  errorType: string,
  errorMessage: string,
  headers: OutgoingHttpHeaders = {},
): void {
  send(
    res,
    statusCode,
    // AWS SDKs read the error type from this header.
    { "Content-Type": "application/json", "X-Amzn-ErrorType": errorType, ...headers },
    errorBody(errorType, errorMessage),
  );
}

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; reason: "too-large" | "aborted" };

/**
 * Reads a request body of at most `limitBytes`. On the first byte over the limit it stops
 * reading (the socket is paused, nothing more is buffered) and reports "too-large".
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limitBytes) {
    req.pause();
    return Promise.resolve({ ok: false, reason: "too-large" });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      req.off("data", onData).off("end", onEnd).off("error", onAbort).off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.pause();
        finish({ ok: false, reason: "too-large" });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ ok: false, reason: "aborted" });
    const onClose = () => {
      if (!req.complete) onAbort();
    };
    req.on("data", onData).on("end", onEnd).on("error", onAbort).on("close", onClose);
  });
}
