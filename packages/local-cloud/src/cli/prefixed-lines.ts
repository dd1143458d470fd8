import { Writable } from "node:stream";

/**
 * A stream that writes each complete line to `target` with a prefix, so the logs of several
 * functions on one terminal say whose they are: `[backtosource] START RequestId: …`.
 */
export function prefixedLines(prefix: string, target: NodeJS.WritableStream): Writable {
  let partial = "";
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) target.write(`${prefix}${line}\n`);
      done();
    },
    final(done) {
      if (partial) target.write(`${prefix}${partial}\n`);
      done();
    },
  });
}
