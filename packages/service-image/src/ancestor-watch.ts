import { readFileSync } from "node:fs";

/**
 * Calls `onGone` when a process that started this one exits. `pnpm run` does not pass
 * SIGTERM on to its script, so without this a `kill <pnpm pid>` would leave the emulator
 * and its runtimes (or a container) running. Linux only (/proc); elsewhere it does nothing.
 */
export function watchAncestors(onGone: () => void, levels = 3, everyMs = 500): void {
  const ancestors: number[] = [];
  let pid = process.ppid;
  while (ancestors.length < levels && pid > 1) {
    ancestors.push(pid);
    const parent = parentOf(pid);
    if (parent === undefined) break;
    pid = parent;
  }
  if (ancestors.length === 0) return;
  const timer = setInterval(() => {
    if (ancestors.some((ancestor) => !alive(ancestor))) {
      clearInterval(timer);
      onGone();
    }
  }, everyMs);
  timer.unref();
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (command) state ppid ..."; the command may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
