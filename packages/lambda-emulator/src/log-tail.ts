/** Lambda returns this much of an invocation's log in `X-Amz-Log-Result`. */
const LOG_TAIL_BYTES = 4 * 1024;

/**
 * The end of one invocation's log (its output lines and START/END/REPORT), kept for
 * `X-Amz-Log-Type: Tail`. Only the last 4 KB are ever needed, so older text is dropped as it
 * comes: a handler that prints megabytes costs no memory here.
 */
export class LogTail {
  private kept = Buffer.alloc(0);

  append(text: string): void {
    const joined = Buffer.concat([this.kept, Buffer.from(text, "utf8")]);
    this.kept = joined.length > LOG_TAIL_BYTES ? joined.subarray(-LOG_TAIL_BYTES) : joined;
  }

  /** The last 4 KB, base64-encoded, as in `X-Amz-Log-Result`. */
  base64(): string {
    return this.kept.toString("base64");
  }
}
