import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../src/index.js";

/** The real runtime interface client, as the package resolves it. */
export const RIC_ENTRY = createRequire(import.meta.url).resolve("aws-lambda-ric");

export const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export const ricCommand = (): string[] => [process.execPath, RIC_ENTRY, "index.handler"];

/** Collects everything the emulator writes, and waits for lines to appear. */
export class CapturedOutput extends Writable {
  text = "";

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString("utf8");
    callback();
  }

  lines(): string[] {
    return this.text.split("\n").filter((line) => line.length > 0);
  }

  /** Resolves with the first line matching `pattern`, once it has been written. */
  async waitForLine(pattern: RegExp, timeoutMs = 5_000): Promise<string> {
    const find = () => this.lines().find((line) => pattern.test(line));
    try {
      return (await waitFor(find, (line) => line !== undefined, timeoutMs)) ?? "";
    } catch {
      throw new Error(`no output line matched ${pattern} within ${timeoutMs} ms:\n${this.text}`);
    }
  }
}

export interface FixtureEmulator {
  emulator: RunningEmulator;
  output: CapturedOutput;
}

/** An emulator on a free port running the real ric on one fixture handler. */
export async function startFixture(
  name: string,
  options: Partial<EmulatorOptions> = {},
): Promise<FixtureEmulator> {
  const output = new CapturedOutput();
  const emulator = await startEmulator({
    command: ricCommand(),
    taskRoot: fixtureDir(name),
    port: 0,
    output,
    ...options,
  });
  return { emulator, output };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `done` accepts its value; fails after `timeoutMs`. */
export async function waitFor<T>(
  read: () => T,
  done: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** Direct children of a process, from /proc (Linux). */
export function childPids(pid = process.pid): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the parenthesised command: state, then the parent pid.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/** Whether a process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Whether nothing listens on `port` (we can bind it ourselves). */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
