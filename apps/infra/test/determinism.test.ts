import { spawnSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { snapshot } from "./support/snapshot.js";
import { type Synth, synthRepo } from "./support/synth.js";
import { EXAMPLE_SERVICES, REPO_ROOT, tempRepo } from "./support/temp-repo.js";

/** The image asset hash each service's function uses, read from its nested template. */
function imageHashes(synth: Synth): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const id of synth.serviceIds) {
    const fn = Object.values(synth.serviceTemplate(id).findResources("AWS::Lambda::Function"))[0];
    const uri = JSON.stringify(fn?.Properties.Code.ImageUri);
    const hash = uri.match(/:([0-9a-f]{64})/)?.[1];
    if (!hash) throw new Error(`no image hash in ${uri}`);
    hashes[id] = hash;
  }
  return hashes;
}

/** Runs the service's own bundle script (npm: pnpm would try to install outside a workspace). */
function bundle(serviceDir: string) {
  const result = spawnSync("npm", ["run", "--silent", "bundle"], {
    cwd: serviceDir,
    encoding: "utf8",
  });
  expect(result.status, result.stderr).toBe(0);
}

describe("determinism", () => {
  it("synthesizes byte-identical assemblies twice in a row", () => {
    const root = tempRepo({ secrets: { account: "123456789012", region: "eu-west-1" } });
    const first = snapshot(synthRepo(root).outdir);
    const second = snapshot(synthRepo(root).outdir);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [file, bytes] of first) expect(second.get(file), file).toBe(bytes);
  });

  it("writes no path of the checkout into the assembly, so every checkout synthesizes the same", () => {
    const root = tempRepo();
    for (const [file, bytes] of snapshot(synthRepo(root).outdir)) {
      if (file.startsWith("asset.")) continue; // the staged image folders themselves
      expect(bytes.includes(root), file).toBe(false);
      expect(bytes.includes(REPO_ROOT), file).toBe(false);
    }
  });

  it("changes only the edited service's image hash when its source changes", () => {
    const root = tempRepo();
    for (const id of EXAMPLE_SERVICES) bundle(join(root, "services", id));
    const before = imageHashes(synthRepo(root));
    expect(Object.keys(before)).toEqual([...EXAMPLE_SERVICES]);

    appendFileSync(
      join(root, "services", "backtosource", "src", "index.ts"),
      "\nconsole.log('changed');\n",
    );
    bundle(join(root, "services", "backtosource"));
    const after = imageHashes(synthRepo(root));

    expect(after.backtosource).not.toBe(before.backtosource);
    expect(after.toanother).toBe(before.toanother);
    expect(after.chained).toBe(before.chained);
  });

  it("ignores files the image does not use (sources, tests, scripts, node_modules)", () => {
    const root = tempRepo();
    const before = imageHashes(synthRepo(root));
    expect(Object.keys(before)).toEqual([...EXAMPLE_SERVICES]);
    appendFileSync(join(root, "services", "toanother", "src", "index.ts"), "\n// a comment\n");
    appendFileSync(join(root, "services", "toanother", "calllocally.sh"), "\n# a comment\n");
    appendFileSync(join(root, "services", "toanother", "package.json"), "\n");
    expect(imageHashes(synthRepo(root))).toEqual(before);
  });
});
