import { existsSync, type FSWatcher, readdirSync, watch } from "node:fs";
import { join } from "node:path";

/**
 * Tells when the set of service folders or a service's package.json may have changed: a folder
 * under `servicesRoot` came or went, a folder's package.json was written, or its node_modules
 * appeared (pnpm install linked it). (Sources are watched per service, by the bundler's watch.)
 * Returns a function that stops watching.
 */
export function watchServiceFolders(servicesRoot: string, onChange: () => void): () => void {
  const folders = new Map<string, FSWatcher>();
  const attach = () => {
    const present = new Set(
      existsSync(servicesRoot)
        ? readdirSync(servicesRoot, { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => entry.name)
        : [],
    );
    for (const [name, watcher] of folders) {
      if (!present.has(name)) {
        watcher.close();
        folders.delete(name);
      }
    }
    for (const name of present) {
      if (folders.has(name)) continue;
      try {
        const watcher = watch(join(servicesRoot, name), (_event, file) => {
          if (file === "package.json" || file === "node_modules") onChange();
        });
        // A folder removed while watched: the root's watcher sees it too.
        watcher.on("error", () => {});
        folders.set(name, watcher);
      } catch {
        // Gone again before it could be watched.
      }
    }
  };
  attach();
  const root = watch(servicesRoot, () => {
    attach();
    onChange();
  });
  return () => {
    root.close();
    for (const watcher of folders.values()) watcher.close();
    folders.clear();
  };
}
