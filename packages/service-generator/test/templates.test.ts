import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FALLBACK_VERSIONS } from "../src/index.js";
import { REPO_ROOT } from "./support.js";

// The template must keep making services like the examples: these fail when an example's
// Dockerfile, scripts or manifest change and the template does not (or the other way round).
const templates = join(REPO_ROOT, "turbo", "generators", "templates", "service");
const services = readdirSync(join(REPO_ROOT, "services")).filter((folder) =>
  readdirSync(join(REPO_ROOT, "services", folder)).includes("package.json"),
);
const template = (file: string) => readFileSync(join(templates, `${file}.hbs`), "utf8");
const manifest = (folder: string) =>
  JSON.parse(readFileSync(join(REPO_ROOT, "services", folder, "package.json"), "utf8"));

describe("the service template", () => {
  it.each([
    "Dockerfile",
    ".dockerignore",
    "runlocally.sh",
    "calllocally.sh",
    "tsconfig.json",
    "src/event.ts",
  ])("%s is backtosource's, unchanged", (file) => {
    expect(template(file)).toBe(
      readFileSync(join(REPO_ROOT, "services", "backtosource", file), "utf8"),
    );
  });

  // The manifest with each {{...}} replaced by a placeholder.
  const templated = JSON.parse(template("package.json").replaceAll(/\{\{[^}]*\}\}/g, "<value>"));

  it.each(services)("package.json has the scripts of %s", (folder) => {
    expect(templated.scripts).toEqual(manifest(folder).scripts);
  });

  it.each(services)("package.json declares only dependencies that %s declares", (folder) => {
    const declared = manifest(folder);
    for (const field of ["dependencies", "devDependencies"]) {
      for (const name of Object.keys(templated[field])) {
        expect(declared[field]?.[name], `${field}.${name}`).toBeDefined();
      }
    }
  });

  it("package.json takes every external dependency's version from the services", () => {
    const external = Object.entries({ ...templated.dependencies, ...templated.devDependencies })
      .filter(([, version]) => version !== "workspace:*")
      .map(([name, version]) => [name, version]);
    expect(Object.fromEntries(external)).toEqual(
      Object.fromEntries(Object.keys(FALLBACK_VERSIONS).map((name) => [name, "<value>"])),
    );
  });
});
