import { Writable } from "node:stream";
import type { EventLog } from "./event-log.js";

// The Node.js runtime's format: `<ISO time>\t<request id>\t<LEVEL>\t<message>`.
const RUNTIME_LINE = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t([0-9a-f-]{36})\t/;

/** Passes a function's output on to `next`, and logs each of its lines. */
export function loggedFunctionOutput(
  service: string,
  log: EventLog,
  next: NodeJS.WritableStream,
): NodeJS.WritableStream {
  let pending = "";
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = pending + chunk.toString();
      const lines = text.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (line.trim() === "") continue;
        log.append({ kind: "log", service, requestId: RUNTIME_LINE.exec(line)?.[1], line });
      }
      next.write(chunk, done);
    },
    final(done) {
      if (pending.trim() !== "") log.append({ kind: "log", service, line: pending });
      done();
    },
  });
}
