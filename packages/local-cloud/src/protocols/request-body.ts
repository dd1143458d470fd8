import type { IncomingMessage } from "node:http";

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; reason: "too-large"; bytes: number }
  | { ok: false; reason: "aborted" };

/**
 * Reads a request body of at most `limitBytes`. At the first byte over the limit it stops
 * buffering: the caller answers and closes the connection instead of draining a runaway body.
 */
export function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limitBytes) {
    req.pause();
    return Promise.resolve({ ok: false, reason: "too-large", bytes: declared });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult) => {
      req.off("data", onData).off("end", onEnd).off("error", onAborted).off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.pause();
        finish({ ok: false, reason: "too-large", bytes: size });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onAborted = () => finish({ ok: false, reason: "aborted" });
    const onClose = () => {
      if (!req.complete) onAborted();
    };
    req.on("data", onData).on("end", onEnd).on("error", onAborted).on("close", onClose);
  });
}
