import { Writable } from "node:stream";
import type { Observer } from "./observations.js";

/** START/END/REPORT lines name the runtime's request id after `RequestId: `. */
const PLATFORM_ID = /RequestId: ([0-9a-f]{8}-[0-9a-f-]{27})/;
/** The runtime's own lines: `<time>\t<request id>\t<level>\t<message>`. */
const RUNTIME_ID = /^\S+\t([0-9a-f]{8}-[0-9a-f-]{27})\t/;
const MAX_MEMORY = /Max Memory Used: (\d+) MB/;
/** Bounds on lines kept for invocations whose answer has not come yet. */
const MAX_WAITING_IDS = 256;
const MAX_WAITING_LINES = 200;

/**
 * Attributes each line a function's runtime prints to the asynchronous invocation it belongs
 * to. Lines carry the runtime's request id (START/END/REPORT and the runtime's log lines); the
 * invoke answer says which runtime request id served which asynchronous invocation. A line
 * without an id (a multi-line log's continuation, output before the handler runs) goes with
 * the last id this function printed, which can be another invocation's when several runtime
 * processes print at once.
 */
export class RuntimeLogLines {
  /** What each stream line is copied to (the terminal), unchanged. */
  readonly stream: Writable;
  private readonly bound = new Map<string, { requestId: string }>();
  private readonly waiting = new Map<string, string[]>();
  private readonly memory = new Map<string, number>();
  private lastId: string | undefined;

  constructor(
    private readonly service: string,
    private readonly observe: Observer,
    output: NodeJS.WritableStream,
  ) {
    let partial = "";
    this.stream = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        output.write(chunk);
        const lines = (partial + chunk.toString("utf8")).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) this.line(line);
        done();
      },
      final: (done) => {
        if (partial) this.line(partial);
        done();
      },
    });
  }

  /**
   * The runtime answered: `runtimeRequestId` served `requestId`. Emits its lines so far;
   * returns the peak memory its REPORT line gave, if that came first.
   */
  bind(runtimeRequestId: string, requestId: string): { maxMemoryUsedMb?: number } {
    const waiting = this.waiting.get(runtimeRequestId) ?? [];
    this.waiting.delete(runtimeRequestId);
    this.remember(this.bound, runtimeRequestId, { requestId });
    for (const line of waiting) this.emit(requestId, line);
    const maxMemoryUsedMb = this.memory.get(runtimeRequestId);
    this.memory.delete(runtimeRequestId);
    if (maxMemoryUsedMb !== undefined) this.bound.delete(runtimeRequestId);
    return maxMemoryUsedMb === undefined ? {} : { maxMemoryUsedMb };
  }

  private line(line: string): void {
    const id = PLATFORM_ID.exec(line)?.[1] ?? RUNTIME_ID.exec(line)?.[1] ?? this.lastId;
    if (id === undefined) return;
    this.lastId = id;
    const report = line.startsWith("REPORT ") ? MAX_MEMORY.exec(line) : null;
    const bound = this.bound.get(id);
    if (bound) {
      this.emit(bound.requestId, line);
      // The REPORT line is an invocation's last.
      if (report) this.bound.delete(id);
      return;
    }
    if (report) this.remember(this.memory, id, Number(report[1]));
    let lines = this.waiting.get(id);
    if (!lines) {
      lines = [];
      this.remember(this.waiting, id, lines);
    }
    if (lines.length < MAX_WAITING_LINES) lines.push(line);
  }

  private emit(requestId: string, line: string): void {
    this.observe({ kind: "log", service: this.service, requestId, line });
  }

  /**
   * Keeps at most MAX_WAITING_IDS entries: an invocation whose answer (or REPORT line) never
   * came is forgotten.
   */
  private remember<V>(map: Map<string, V>, id: string, value: V): void {
    map.set(id, value);
    if (map.size > MAX_WAITING_IDS) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  }
}
