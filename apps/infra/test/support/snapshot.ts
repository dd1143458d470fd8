import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Every file under a folder, by path relative to it, with its bytes. */
export function snapshot(dir: string, root = dir): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      for (const [file, bytes] of snapshot(path, root)) files.set(file, bytes);
    } else {
      files.set(relative(root, path), readFileSync(path, "latin1"));
    }
  }
  return files;
}
