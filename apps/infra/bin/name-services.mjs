// Runs after `pnpm install`: a service's package name is its folder name, so a folder
// copied under a new name becomes its own package (Turborepo refuses two packages with
// one name) and `pnpm --filter <folder>` finds it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const servicesDir = join(import.meta.dirname, "..", "..", "..", "services");
if (existsSync(servicesDir)) {
  for (const folder of readdirSync(servicesDir).sort()) {
    const manifestPath = join(servicesDir, folder, "package.json");
    if (!existsSync(manifestPath)) continue;
    const text = readFileSync(manifestPath, "utf8");
    let manifest;
    try {
      manifest = JSON.parse(text);
    } catch {
      continue; // not ours to repair here: synth reports the malformed file
    }
    if (typeof manifest.service !== "object" || manifest.name === folder) continue;
    console.log(
      `services/${folder}/package.json: renamed package "${manifest.name}" to "${folder}" (a service's package is named after its folder)`,
    );
    writeFileSync(
      manifestPath,
      text.replace(/("name"\s*:\s*)"[^"]*"/, `$1${JSON.stringify(folder)}`),
    );
  }
}
