import { existsSync, watch } from "node:fs";
import { join } from "node:path";

/**
 * Calls `onChange` when anything under the service's src/ changes (recursive fs.watch: inotify
 * on Linux, FSEvents on macOS). Returns a function that stops watching, or undefined when the
 * service has no src/ (a prebuilt bundle: nothing to watch).
 */
export function watchServiceSources(
  serviceDir: string,
  onChange: () => void,
): (() => void) | undefined {
  const sources = join(serviceDir, "src");
  if (!existsSync(sources)) return undefined;
  const watcher = watch(sources, { recursive: true }, () => onChange());
  return () => watcher.close();
}
