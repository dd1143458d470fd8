import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Each service folder's `"service"` settings, as JSON text, by folder name: what a re-synthesis
 * depends on. A folder without a package.json, or whose package.json has no `"service"`
 * object (or is being written), is no service.
 */
export function readServiceSettings(servicesRoot: string): Map<string, string> {
  const settings = new Map<string, string>();
  if (!existsSync(servicesRoot)) return settings;
  for (const entry of readdirSync(servicesRoot, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      const manifest = JSON.parse(
        readFileSync(join(servicesRoot, entry.name, "package.json"), "utf8"),
      );
      const service = manifest?.service;
      if (typeof service === "object" && service !== null && !Array.isArray(service)) {
        settings.set(entry.name, JSON.stringify(service));
      }
    } catch {
      // No manifest, or half-written: not a service (yet).
    }
  }
  return settings;
}

/** `+ payments, - orders, ~ backtosource`: services added, removed, with new settings. */
export function describeSettingsChange(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): string {
  const changes: string[] = [];
  for (const [id, settings] of after) {
    if (!before.has(id)) changes.push(`+ ${id}`);
    else if (before.get(id) !== settings) changes.push(`~ ${id}`);
  }
  for (const id of before.keys()) if (!after.has(id)) changes.push(`- ${id}`);
  return changes.join(", ");
}
