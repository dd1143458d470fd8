import { readFileSync } from "node:fs";

/**
 * Peak resident memory of a process in MB (VmHWM, Linux only), or undefined when it cannot be
 * read (the process has gone, or there is no /proc).
 */
export function readPeakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmHWM:\s*(\d+)\s*kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Math.ceil(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}
