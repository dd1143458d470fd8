export interface Report {
  requestId: string;
  /** Only on the invocation that started its runtime process (a cold start). */
  initDurationMs?: number;
  durationMs: number;
  memorySizeMb: number;
  /** Peak RSS of the runtime process; 0 when it could not be measured. */
  maxMemoryUsedMb: number;
}

/**
 * Writes the platform's own log lines (START, END, REPORT, ...) in Lambda's formats. Each
 * method returns what it wrote, so it can also go into the invocation's log tail.
 */
export class PlatformLog {
  constructor(private readonly output: NodeJS.WritableStream) {}

  start(requestId: string): string {
    return this.line(`START RequestId: ${requestId} Version: $LATEST`);
  }

  /** END and REPORT in one write, so no other line can come between them. */
  end(report: Report): string {
    const init = report.initDurationMs ?? 0;
    const fields = [
      `REPORT RequestId: ${report.requestId}`,
      ...(report.initDurationMs === undefined ? [] : [`Init Duration: ${ms(init)} ms`]),
      `Duration: ${ms(report.durationMs)} ms`,
      // Container-image functions are billed for init too, per started millisecond.
      `Billed Duration: ${Math.ceil(report.durationMs + init)} ms`,
      `Memory Size: ${report.memorySizeMb} MB`,
      `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
    ];
    return this.line(`END RequestId: ${report.requestId}\n${fields.join("\t")}`);
  }

  /** A platform message about one invocation, in the runtime's `time\tid\tmessage` layout. */
  message(requestId: string, text: string): string {
    return this.line(`${new Date().toISOString()}\t${requestId}\t${text}`);
  }

  line(text: string): string {
    const written = `${text}\n`;
    this.output.write(written);
    return written;
  }
}

const ms = (value: number): string => Math.max(0, value).toFixed(2);
