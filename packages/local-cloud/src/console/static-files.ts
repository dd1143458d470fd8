import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json",
  ".ico": "image/x-icon",
};

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/** A file of the built console, or undefined when there is none (or the path leaves it). */
export async function readStaticFile(root: string, path: string): Promise<StaticFile | undefined> {
  const relative = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, "");
  const file = join(root, relative);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  try {
    return {
      body: await readFile(file),
      type: TYPES[extname(file)] ?? "application/octet-stream",
    };
  } catch {
    return undefined;
  }
}
