import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { appRoot } from "../dev/app-root.js";

/** The repo's git-ignored folder for local state: state files and the endpoint file. */
function stateFolder(): string {
  return join(appRoot(), ".local-cloud");
}

/**
 * The app's state file: `.local-cloud/<app>.sqlite`, the app named after the repo's root
 * package; an assembly given with --assembly gets a file of its own, named by its path.
 */
export function defaultStateFile(assembly: string | undefined): string {
  const folder = stateFolder();
  if (assembly !== undefined) {
    const path = resolve(assembly);
    const hash = createHash("sha256").update(path).digest("hex").slice(0, 8);
    return join(folder, `${basename(dirname(path))}-${basename(path)}-${hash}.sqlite`);
  }
  const root = dirname(folder);
  let app = basename(root);
  try {
    app =
      (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name?: string }).name ??
      app;
  } catch {
    // A root without a readable package.json is named after its folder.
  }
  return join(folder, `${app.replace(/[^\w.-]+/g, "_")}.sqlite`);
}

/** Deletes a state file with its WAL and shared-memory files (`--fresh`). */
export function removeStateFile(file: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Where a running `pnpm start` says how to reach it, `{ "url": …, "pid": … }`: beside its state
 * file, named after it (`.local-cloud/<app>.endpoint.json` for the app's own), so environments
 * on other state files never read each other's.
 */
export function endpointFile(stateFile: string): string {
  return `${stateFile.replace(/\.sqlite$/, "")}.endpoint.json`;
}

export function writeEndpointFile(file: string, url: string): void {
  writeFileSync(file, `${JSON.stringify({ url, pid: process.pid })}\n`);
}

/** What the endpoint file says, if it is well-formed and names a live process. */
function liveEndpoint(file: string): { url: string; pid: number } | undefined {
  let record: { url?: unknown; pid?: unknown };
  try {
    record = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  const { url, pid } = record;
  if (typeof url !== "string" || typeof pid !== "number") return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's process.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return undefined;
  }
  return { url, pid };
}

/** The running environment's URL, per its endpoint file. */
export function readEndpointFile(file: string): string | undefined {
  return liveEndpoint(file)?.url;
}

/** Removes the endpoint file if this process wrote it. */
export function removeEndpointFile(file: string): void {
  try {
    const { pid } = JSON.parse(readFileSync(file, "utf8")) as { pid?: number };
    if (pid === process.pid) rmSync(file, { force: true });
  } catch {
    // Gone already, or not ours to remove.
  }
}

/** The pid of another live process serving this state file, per its endpoint file. */
export function otherOwner(file: string): number | undefined {
  const pid = liveEndpoint(file)?.pid;
  return pid === process.pid ? undefined : pid;
}
