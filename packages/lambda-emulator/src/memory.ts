import { closeSync, openSync, readSync } from "node:fs";

const VM_HWM = Buffer.from("VmHWM:");

/**
 * Reads a process's peak resident memory (VmHWM from /proc/<pid>/status, Linux only). It keeps
 * the file open and re-reads it from the start: one syscall per sample, taken for every REPORT.
 */
export class PeakMemoryProbe {
  private fd: number | undefined;
  private readonly buffer = Buffer.alloc(4096);
  private highest = 0;

  /** Opens the file at once, while `pid` surely is our process and not a later reuse of it. */
  constructor(pid: number) {
    try {
      this.fd = openSync(`/proc/${pid}/status`, "r");
    } catch {
      // No /proc (not Linux): the peak stays 0.
    }
  }

  /** The highest peak seen so far, in MB (0 if never readable). */
  get peakMb(): number {
    return this.highest;
  }

  sample(): void {
    if (this.fd === undefined) return;
    try {
      const length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
      const kb = parseKb(this.buffer.subarray(0, length));
      if (kb !== undefined) this.highest = Math.max(this.highest, Math.ceil(kb / 1024));
    } catch {
      // The process has gone, or there is no /proc: keep the last value.
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function parseKb(status: Buffer): number | undefined {
  const start = status.indexOf(VM_HWM);
  if (start < 0) return undefined;
  const end = status.indexOf("\n", start);
  const match = /(\d+)\s*kB/.exec(status.toString("latin1", start, end < 0 ? undefined : end));
  return match ? Number(match[1]) : undefined;
}
