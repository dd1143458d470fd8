import type { Readable } from "node:stream";

/** A line longer than this is passed on in pieces rather than buffered without bound. */
const MAX_PENDING_CHARS = 256 * 1024;

/**
 * Passes `source` on to `write` in whole lines, so lines from several runtime processes sharing
 * one output never interleave mid-line. A last line without a newline gets one at the end.
 */
export function forwardLines(source: Readable, write: (text: string) => void): void {
  let pending = "";
  source.setEncoding("utf8");
  source.on("data", (chunk: string) => {
    const text = pending + chunk;
    const end = text.lastIndexOf("\n") + 1;
    if (end > 0) write(text.slice(0, end));
    pending = text.slice(end);
    if (pending.length > MAX_PENDING_CHARS) {
      write(`${pending}\n`);
      pending = "";
    }
  });
  source.on("end", () => {
    if (pending) write(`${pending}\n`);
    pending = "";
  });
  // A broken pipe from a killed child is not an emulator error.
  source.on("error", () => {});
}
