import type { Readable } from "node:stream";

/** The runtime's log descriptor: aws-lambda-ric writes console output there, framed. */
export const TELEMETRY_FD = 3;

/** Type (4 bytes), length (4), timestamp in microseconds (8), all big-endian; then the message. */
const HEADER_BYTES = 16;

/**
 * Reads the frames aws-lambda-ric writes to `_LAMBDA_TELEMETRY_LOG_FD` (Lambda's logging
 * contract between runtime and platform) and passes each message on to `write` as lines.
 * The runtime writes them with a blocking writeSync, so every line logged before an answer is
 * in the pipe when the answer arrives: the END line can follow it reliably, which stdout (a
 * non-blocking pipe the runtime may still be flushing) cannot promise.
 */
export function forwardFrames(source: Readable, write: (text: string) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  source.on("data", (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= HEADER_BYTES) {
      const length = pending.readUInt32BE(offset + 4);
      const end = offset + HEADER_BYTES + length;
      if (pending.length < end) break;
      const message = pending.toString("utf8", offset + HEADER_BYTES, end);
      // Text frames end with a newline; JSON frames are one object without one.
      write(message.endsWith("\n") ? message : `${message}\n`);
      offset = end;
    }
    pending = pending.subarray(offset);
  });
  source.on("error", () => {});
}
