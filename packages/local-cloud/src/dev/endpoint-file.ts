import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What `.local-cloud/endpoint.json` holds while `pnpm start` runs. */
export interface EndpointRecord {
  readonly url: string;
  readonly pid: number;
}

export function endpointFile(root: string): string {
  return join(root, ".local-cloud", "endpoint.json");
}

/** Records the running environment's endpoint; the returned function removes the record. */
export function writeEndpoint(root: string, url: string): () => void {
  const file = endpointFile(root);
  mkdirSync(join(root, ".local-cloud"), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ url, pid: process.pid })}\n`);
  return () => {
    // Another `pnpm start` may have taken the file over since: leave its record alone.
    if (readEndpoint(root)?.pid === process.pid) rmSync(file, { force: true });
  };
}

/** The recorded endpoint, if the file is there, well-formed, and its process alive. */
export function readEndpoint(root: string): EndpointRecord | undefined {
  let record: Partial<EndpointRecord>;
  try {
    record = JSON.parse(readFileSync(endpointFile(root), "utf8"));
  } catch {
    return undefined;
  }
  if (typeof record.url !== "string" || typeof record.pid !== "number") return undefined;
  return alive(record.pid) ? { url: record.url, pid: record.pid } : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
