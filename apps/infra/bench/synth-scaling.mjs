// How synth grows with the number of services: the CDK app (createApp + synthesize, cdk-nag
// included, as `pnpm synth` runs it inside the CDK CLI) for the example services, 60 and 200
// services, in a fresh Node process each time, sizes interleaved, median of 3. Services are
// copies of the built backtosource folder (package.json, Dockerfile, dist) in a temporary
// repository root: synth needs nothing else. Prints figures; it is not a test.
//   usage: pnpm bench:synth   (after pnpm build)
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");
const APP = join(REPO_ROOT, "apps", "infra", "dist", "app.js");
const SIZES = [0, 60, 200]; // 0: the example services as they are
const ROUNDS = 3;

if (
  !existsSync(APP) ||
  !existsSync(join(REPO_ROOT, "services", "backtosource", "dist", "index.mjs"))
) {
  console.error("build first: pnpm build");
  process.exit(1);
}
const temps = [];
process.on("exit", () => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A repository root holding `count` services (or the examples, for 0). */
function repoWith(count) {
  const root = mkdtempSync(join(tmpdir(), `bench-synth-${count}-`));
  temps.push(root);
  const copy = (from, to) =>
    cpSync(from, to, {
      recursive: true,
      filter: (path) => !/[/\\](node_modules|\.turbo|src|test)$/.test(path),
    });
  if (count === 0) {
    for (const id of readdirSync(join(REPO_ROOT, "services"))) {
      if (existsSync(join(REPO_ROOT, "services", id, "package.json")))
        copy(join(REPO_ROOT, "services", id), join(root, "services", id));
    }
    return root;
  }
  for (let i = 1; i <= count; i++) {
    const id = `svc-${String(i).padStart(3, "0")}`;
    copy(join(REPO_ROOT, "services", "backtosource"), join(root, "services", id));
    const manifest = JSON.parse(readFileSync(join(root, "services", id, "package.json"), "utf8"));
    writeFileSync(
      join(root, "services", id, "package.json"),
      JSON.stringify({ ...manifest, name: id }),
    );
  }
  return root;
}

/** One synth in a fresh process; returns milliseconds and what it made. */
function synthOnce(root) {
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-out-"));
  temps.push(outdir);
  const script = `
    const { createApp, synthesize } = await import(${JSON.stringify(APP)});
    const t0 = performance.now();
    const assembly = synthesize(createApp({ repoRoot: ${JSON.stringify(root)}, outdir: ${JSON.stringify(outdir)}, onEnvironmentAgnostic: () => {} }));
    const ms = performance.now() - t0;
    const stacks = assembly.stacks.map((s) => [s.stackName, Object.keys(s.template.Resources ?? {}).length]);
    console.log(JSON.stringify({ ms, stacks }));`;
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const wall = performance.now() - t0;
  rmSync(outdir, { recursive: true, force: true });
  return { wall, ...JSON.parse(out.trim().split("\n").at(-1)) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const repos = Object.fromEntries(SIZES.map((size) => [size, repoWith(size)]));
const services = (size) => readdirSync(join(repos[size], "services")).length;
const results = Object.fromEntries(SIZES.map((size) => [size, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? [...SIZES].reverse() : SIZES;
  for (const size of order) results[size].push(synthOnce(repos[size]));
}
const base = median(results[SIZES[0]].map((r) => r.ms));
console.log(
  `synth of the app, median of ${ROUNDS} (in-app time; wall time includes Node and aws-cdk-lib start-up):`,
);
for (const size of SIZES) {
  const runs = results[size];
  const ms = median(runs.map((r) => r.ms));
  const wall = median(runs.map((r) => r.wall));
  const stacks = runs[0].stacks;
  const biggest = Math.max(...stacks.map(([, n]) => n));
  console.log(
    `  ${String(services(size)).padStart(3)} services: ${(ms / 1000).toFixed(2)} s in the app (${(wall / 1000).toFixed(2)} s wall), ` +
      `${(ms / base).toFixed(2)}x; ${stacks.length} top-level stacks, largest ${biggest} resources`,
  );
}
const [small, , large] = SIZES.map((size) => median(results[size].map((r) => r.ms)));
const perService = (large - small) / (services(200) - services(0));
console.log(`  growth: about ${perService.toFixed(0)} ms per added service`);
