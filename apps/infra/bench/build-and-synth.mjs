// Build and synth benchmark, in throw-away copies of this checkout (never in the checkout
// itself): service bundle sizes, `pnpm build` cold and warm (with Turborepo's cache hit
// count), and `pnpm synth` / the CDK app alone with the example services against 50
// services. Prints figures and a table; it is not a test: it fails loudly only when a
// command fails. Local only (`pnpm install --offline`), bounded in time, cleans up.
//   usage: node bench/build-and-synth.mjs      (from apps/infra; `pnpm bench` does the same)
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { stripVTControlCharacters as stripAnsi } from "node:util";
import { copyCheckout, removeTempDirs, tempDir } from "@ebsvc/test-fixtures";
import { getPackages } from "@manypkg/get-packages";

const REPEATS = 3;
const LARGE_APP = 50; // services in the large copy: the examples plus generated copies
// A handler that validates its events bundles zod/mini (about 20 KB minified); 24 KiB leaves
// room for a service's own schema without letting a whole library slip in.
const BUNDLE_LIMIT_BYTES = 24 * 1024;
const RATIO_LIMIT = 1.5;
const DEADLINE_MS = 15 * 60_000; // the whole run; it normally takes well under 10 minutes
const COMMAND_TIMEOUT_MS = 5 * 60_000;

const started = performance.now();
let running; // the child process being waited for, killed (with its group) on a timeout

// ---------------------------------------------------------------------------------------------
// Plumbing

const elapsed = () => {
  const s = Math.round((performance.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
};
const say = (message) => console.log(`[${elapsed()}] ${message}`);
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** This run's environment for pnpm in a copy, as the tests use it: no Turborepo or npm vars. */
function childEnv(extra = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith("TURBO_") && !name.startsWith("npm_") && name !== "INIT_CWD",
    ),
  );
  return { ...env, CI: "true", TURBO_TELEMETRY_DISABLED: "1", ...extra };
}

/** Runs a command to its end, timed. Throws (with the tail of its output) unless it exits 0. */
function run(command, args, { cwd, env = childEnv(), allowFailure = false } = {}) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    running = child;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      killGroup(child);
      stderr += `\n[bench] killed after ${COMMAND_TIMEOUT_MS / 1000} s`;
    }, COMMAND_TIMEOUT_MS);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (status, signal) => {
      clearTimeout(timer);
      running = undefined;
      const ms = performance.now() - t0;
      const result = { status, signal, ms, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) };
      if ((status !== 0 && !allowFailure) || signal) {
        const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-40).join("\n");
        reject(
          new Error(
            `command failed (exit ${status}${signal ? `, ${signal}` : ""}): ${command} ${args.join(" ")}\n  in ${cwd}\n${tail}`,
          ),
        );
      } else resolvePromise(result);
    });
  });
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function cleanUp() {
  if (running) killGroup(running);
  removeTempDirs();
}

const pnpm = (repo, ...args) => run("pnpm", args, { cwd: repo });

/** The `Cached:    N cached, M total` line of a turbo run. */
function cacheCounts(output) {
  const match = output.match(/Cached:\s+(\d+) cached, (\d+) total/);
  if (!match) throw new Error(`no "Cached: N cached, M total" line in:\n${output}`);
  return { cached: Number(match[1]), total: Number(match[2]) };
}

/** Tasks a turbo run executed instead of replaying: `<pkg>:<task>: cache miss, executing`. */
function missedTasks(output) {
  return [...output.matchAll(/^([^\s:]+):([^\s:]+): cache (?:miss|bypass)/gm)].map(
    (m) => `${m[1]}#${m[2]}`,
  );
}

/** `turbo run <task> --dry=json`: what turbo would hash and whether each task would hit. */
async function dryRun(repo, ...args) {
  const { stdout } = await run("pnpm", ["exec", "turbo", "run", ...args, "--dry=json"], {
    cwd: repo,
  });
  const json = JSON.parse(stdout.slice(stdout.indexOf("{"), stdout.lastIndexOf("}") + 1));
  return new Map(json.tasks.map((task) => [task.taskId, task]));
}

/** Which input files of a task differ between two dry runs. */
function inputChanges(before, after) {
  const changes = [];
  for (const [file, hash] of Object.entries(after.inputs ?? {})) {
    if (!(file in (before.inputs ?? {}))) changes.push(`+${file}`);
    else if (before.inputs[file] !== hash) changes.push(`~${file}`);
  }
  for (const file of Object.keys(before.inputs ?? {}))
    if (!(file in (after.inputs ?? {}))) changes.push(`-${file}`);
  return changes;
}

// ---------------------------------------------------------------------------------------------
// The copies

/**
 * `pnpm install --offline` in a copy. --trust-lockfile: pnpm 12 re-verifies the lockfile against
 * its supply-chain policies (minimumReleaseAge) unless it verified that very file before (its
 * cache is keyed by path and inode), and offline it lacks the registry metadata to do it for a
 * copy (ERR_PNPM_NO_OFFLINE_META). The copy's lockfile is the checkout's, already verified there.
 * --no-frozen-lockfile when services were added: CI=true makes installs frozen, and a new
 * service is a new importer of the lockfile.
 */
async function install(repo, { newImporters = false } = {}) {
  const args = ["install", "--offline", "--trust-lockfile"];
  if (newImporters) args.push("--no-frozen-lockfile");
  return run("pnpm", args, { cwd: repo });
}

function serviceIds(repo) {
  return readdirSync(join(repo, "services")).filter((id) =>
    existsSync(join(repo, "services", id, "package.json")),
  );
}

/** Turborepo's local cache and every build output, so the next build starts from nothing. */
async function deleteBuildState(repo) {
  const doomed = [join(repo, ".turbo"), join(repo, "node_modules", ".cache", "turbo")];
  for (const { dir } of (await getPackages(repo)).packages) {
    doomed.push(join(dir, ".turbo"), join(dir, "dist"));
  }
  for (const path of doomed) rmSync(path, { recursive: true, force: true });
}

/** Removes one task's entry from the local cache (.turbo/cache/<hash>{.tar.zst,-meta.json,…}). */
function deleteCacheEntry(repo, hash) {
  const cache = join(repo, ".turbo", "cache");
  if (!existsSync(cache)) return 0;
  let removed = 0;
  for (const file of readdirSync(cache)) {
    if (file.startsWith(hash)) {
      rmSync(join(cache, file), { force: true });
      removed++;
    }
  }
  return removed;
}

function countNestedTemplates(outdir) {
  return readdirSync(outdir).filter((file) => file.endsWith(".nested.template.json")).length;
}

// ---------------------------------------------------------------------------------------------
// The measurements

async function measureBuilds(repo) {
  const rounds = [];
  for (let round = 1; round <= REPEATS; round++) {
    await deleteBuildState(repo);
    const coldDry = await dryRun(repo, "build");
    const cold = await pnpm(repo, "build");
    const coldCounts = cacheCounts(cold.stdout);
    const warmDry = await dryRun(repo, "build");
    const warm = await pnpm(repo, "build");
    const warmCounts = cacheCounts(warm.stdout);
    const allHits = warmCounts.cached === warmCounts.total;
    const result = { cold: cold.ms, warm: warm.ms, coldCounts, warmCounts, allHits };
    say(
      `build round ${round}/${REPEATS}: cold ${seconds(cold.ms)} (${coldCounts.cached}/${coldCounts.total} cached), ` +
        `warm ${seconds(warm.ms)} (${warmCounts.cached}/${warmCounts.total} cached${allHits ? ", all hits" : ", NOT all hits"})`,
    );
    if (!allHits) {
      // Why: the inputs turbo hashed for each missed task, before the cold and the warm run.
      result.missed = missedTasks(warm.stdout);
      for (const taskId of result.missed) {
        const before = coldDry.get(taskId);
        const after = warmDry.get(taskId);
        if (!before || !after) continue;
        const changes = inputChanges(before, after);
        const shown = changes.slice(0, 6).join(", ");
        say(
          `  missed ${taskId}: hash ${before.hash} -> ${after.hash}; ` +
            (changes.length
              ? `${changes.length} input file(s) differ from the cold run: ${shown}${changes.length > 6 ? ", …" : ""}`
              : "same input files (a dependency's hash or the task's settings changed)"),
        );
        result.changes = { ...result.changes, [taskId]: changes };
      }
      // Does it settle? One more run, immediately.
      const again = await pnpm(repo, "build");
      result.again = { ms: again.ms, counts: cacheCounts(again.stdout) };
      say(
        `  a third build right after: ${seconds(again.ms)} (${result.again.counts.cached}/${result.again.counts.total} cached)`,
      );
    }
    rounds.push(result);
  }
  return rounds;
}

function bundleSizes(repo) {
  return serviceIds(repo).map((id) => {
    const file = join(repo, "services", id, "dist", "index.mjs");
    if (!existsSync(file)) throw new Error(`no bundle: ${file}`);
    return { id, bytes: statSync(file).size };
  });
}

/**
 * `pnpm synth` with its builds up to date (replayed from cache) and the synth task itself not
 * cached: builds run first, untimed; then cdk.out and the synth task's cache entry are removed.
 * (`turbo run synth --force` is no good for this: it bypasses the cache for the builds too.)
 */
async function timeFullSynth(repo, services) {
  rmSync(join(repo, "apps", "infra", "cdk.out"), { recursive: true, force: true });
  await pnpm(repo, "build");
  const dry = await dryRun(repo, "synth", "--filter=@ebsvc/infra");
  const synthTask = dry.get("@ebsvc/infra#synth");
  if (!synthTask) throw new Error("the dry run has no @ebsvc/infra#synth task");
  deleteCacheEntry(repo, synthTask.hash);
  // check-config and bundle-services run on every synth by design (uncached): part of what a
  // user waits for, so timed, but no sign of a stale cache.
  const uncached = new Set(
    [...dry.values()]
      .filter((task) => task.resolvedTaskDefinition?.cache === false)
      .map((task) => task.taskId),
  );
  const buildsMissing = [...dry.values()]
    .filter(
      (task) =>
        task.taskId !== "@ebsvc/infra#synth" &&
        !uncached.has(task.taskId) &&
        task.command !== "<NONEXISTENT>" &&
        task.cache?.status !== "HIT",
    )
    .map((task) => task.taskId);
  const synth = await pnpm(repo, "synth");
  const counts = cacheCounts(synth.stdout);
  const executed = missedTasks(synth.stdout).filter((id) => !uncached.has(id));
  const out = join(repo, "apps", "infra", "cdk.out");
  const nested = countNestedTemplates(out);
  if (nested !== services)
    throw new Error(
      `pnpm synth in ${repo}: ${nested} nested stacks in cdk.out, expected ${services}`,
    );
  return { ms: synth.ms, counts, executed, buildsMissing };
}

/**
 * The CDK app alone, as the CLI starts it, into a temporary cloud assembly folder. With
 * `validation: false`, CDK_VALIDATION=false turns off aws-cdk-lib's built-in CloudFormation
 * template validation (a WebAssembly engine, costly to start), to show what it weighs.
 */
async function timeApp(repo, services, { validation = true } = {}) {
  const outdir = tempDir("bench-cdk-out-");
  const app = await run(process.execPath, ["dist/main.js"], {
    cwd: join(repo, "apps", "infra"),
    env: childEnv({ CDK_OUTDIR: outdir, ...(validation ? {} : { CDK_VALIDATION: "false" }) }),
  });
  const nested = countNestedTemplates(outdir);
  rmSync(outdir, { recursive: true, force: true });
  if (nested !== services)
    throw new Error(`the app in ${repo}: ${nested} nested stacks, expected ${services}`);
  return app.ms;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const pnpmVersion = execFileSync("pnpm", ["--version"], {
    encoding: "utf8",
    env: childEnv(),
  }).trim();
  say(
    `build-and-synth benchmark: node ${process.version}, pnpm ${pnpmVersion}, ${availableParallelism()} CPUs, ` +
      `load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(" ")}; ${REPEATS} rounds each`,
  );
  if (loadavg()[0] >= availableParallelism())
    say("  the machine is already busy (load average >= CPUs): expect noisy figures");

  say("copying the checkout (its example services)…");
  const small = copyCheckout("bench-examples-");
  const smallServices = serviceIds(small).length;
  const generated = LARGE_APP - smallServices;
  say(`  ${small}`);
  const smallInstall = await install(small);
  say(`pnpm install --offline (${smallServices} services): ${seconds(smallInstall.ms)}`);

  say(`copying the checkout again and adding ${generated} services (gen-01 … gen-${generated})…`);
  const large = copyCheckout("bench-50svc-");
  say(`  ${large}`);
  const template = join(large, "services", "backtosource");
  for (let i = 1; i <= generated; i++) {
    const id = `gen-${String(i).padStart(2, "0")}`;
    cpSync(template, join(large, "services", id), {
      recursive: true,
      filter: (path) => !/[/\\](node_modules|dist|\.turbo)$/.test(path),
    });
  }
  const largeInstall = await install(large, { newImporters: true });
  const renamed = (largeInstall.stdout.match(/renamed package "backtosource" to "gen-\d+"/g) ?? [])
    .length;
  say(
    `pnpm install --offline (${LARGE_APP} services): ${seconds(largeInstall.ms)}; postinstall renamed ${renamed} package(s)`,
  );
  for (const id of serviceIds(large)) {
    const name = JSON.parse(readFileSync(join(large, "services", id, "package.json"), "utf8")).name;
    if (name !== id)
      throw new Error(`services/${id}/package.json is still named "${name}" after install`);
  }
  const largeServices = serviceIds(large).length;
  if (largeServices !== LARGE_APP)
    throw new Error(`${largeServices} services in the large copy, expected ${LARGE_APP}`);

  // Builds, cold then warm, in the 2-service copy.
  say(
    `pnpm build cold (no .turbo, no dist) then warm, ${REPEATS} times, ${smallServices} services…`,
  );
  const builds = await measureBuilds(small);
  const sizes = bundleSizes(small);
  for (const { id, bytes } of sizes) say(`bundle services/${id}/dist/index.mjs: ${bytes} bytes`);

  // Synth: first build the 50-service copy (untimed for the synth figures, shown for interest).
  say(
    `pnpm build, ${LARGE_APP} services (first build after install; its builds then stay cached)…`,
  );
  const largeBuild = await pnpm(large, "build");
  const reinstalled = /postinstall\$/.test(largeBuild.stdout);
  const largeBuildCounts = cacheCounts(largeBuild.stdout);
  say(
    `  ${seconds(largeBuild.ms)} (${largeBuildCounts.cached}/${largeBuildCounts.total} cached)` +
      (reinstalled ? "; pnpm re-ran install (and its postinstall) before the script" : ""),
  );
  const largeSizes = bundleSizes(large).map((s) => s.bytes);

  const synth = { small: [], large: [] };
  const app = { small: [], large: [] };
  const appNoValidation = { small: [], large: [] };
  const notes = new Set();
  for (let round = 1; round <= REPEATS; round++) {
    // Alternate which copy goes first, so a drifting machine favours neither.
    const order = round % 2 ? ["small", "large"] : ["large", "small"];
    const repos = { small: [small, smallServices], large: [large, largeServices] };
    for (const which of order) {
      const [repo, services] = repos[which];
      const result = await timeFullSynth(repo, services);
      synth[which].push(result.ms);
      say(
        `synth round ${round}/${REPEATS}, ${services} services: pnpm synth ${seconds(result.ms)} ` +
          `(${result.counts.cached}/${result.counts.total} cached; executed: ${result.executed.join(", ") || "nothing"})`,
      );
      const unexpected = result.executed.filter((id) => id !== "@ebsvc/infra#synth");
      if (unexpected.length)
        notes.add(
          `pnpm synth (${services} services) also executed ${unexpected.join(", ")}: not only the CDK synth was timed`,
        );
      if (result.buildsMissing.length)
        notes.add(
          `before pnpm synth (${services} services) the dry run said builds would miss: ${result.buildsMissing.join(", ")}`,
        );
    }
    for (const which of order) {
      const [repo, services] = repos[which];
      const ms = await timeApp(repo, services);
      app[which].push(ms);
      say(
        `synth round ${round}/${REPEATS}, ${services} services: node dist/main.js ${seconds(ms)}`,
      );
    }
    for (const which of order) {
      const [repo, services] = repos[which];
      const ms = await timeApp(repo, services, { validation: false });
      appNoValidation[which].push(ms);
      say(
        `synth round ${round}/${REPEATS}, ${services} services: CDK_VALIDATION=false node dist/main.js ${seconds(ms)}`,
      );
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Report
  const coldMedian = median(builds.map((b) => b.cold));
  const warmMedian = median(builds.map((b) => b.warm));
  const allWarmHits = builds.every((b) => b.allHits);
  const synthSmall = median(synth.small);
  const synthLarge = median(synth.large);
  const appSmall = median(app.small);
  const appLarge = median(app.large);
  const synthRatio = synthLarge / synthSmall;
  const appRatio = appLarge / appSmall;
  const bareSmall = median(appNoValidation.small);
  const bareLarge = median(appNoValidation.large);
  const verdict = (ok) => (ok ? "met" : "MISSED");
  const list = (values) => values.map((ms) => (ms / 1000).toFixed(2)).join(" / ");

  const rows = [
    ["Measure", "Median", "Runs (s)", "Target", "Result"],
    ...sizes.map(({ id, bytes }) => [
      `bundle ${id}/dist/index.mjs`,
      `${bytes} B`,
      "",
      `< ${BUNDLE_LIMIT_BYTES} B`,
      verdict(bytes < BUNDLE_LIMIT_BYTES),
    ]),
    [
      "bundles, all 50 (50-svc copy)",
      `${Math.max(...largeSizes)} B max`,
      "",
      `< ${BUNDLE_LIMIT_BYTES} B`,
      verdict(Math.max(...largeSizes) < BUNDLE_LIMIT_BYTES),
    ],
    [
      `pnpm build, cold (${smallServices} svc)`,
      seconds(coldMedian),
      list(builds.map((b) => b.cold)),
      "",
      "",
    ],
    [
      `pnpm build, warm (${smallServices} svc)`,
      seconds(warmMedian),
      list(builds.map((b) => b.warm)),
      "",
      "",
    ],
    [
      "warm build all cache hits?",
      allWarmHits ? "yes" : "no",
      builds.map((b) => `${b.warmCounts.cached}/${b.warmCounts.total}`).join(" / "),
      "yes",
      verdict(allWarmHits),
    ],
    ...(allWarmHits
      ? []
      : [
          [
            "  third build right after warm",
            seconds(median(builds.map((b) => b.again.ms))),
            builds.map((b) => `${b.again.counts.cached}/${b.again.counts.total}`).join(" / "),
            "",
            "",
          ],
        ]),
    [
      `pnpm build, ${LARGE_APP} svc (first, after install)`,
      seconds(largeBuild.ms),
      "1 run",
      "",
      "",
    ],
    [`pnpm synth, ${smallServices} services`, seconds(synthSmall), list(synth.small), "", ""],
    [`pnpm synth, ${LARGE_APP} services`, seconds(synthLarge), list(synth.large), "", ""],
    [
      `pnpm synth ratio ${LARGE_APP}/${smallServices}`,
      `${synthRatio.toFixed(2)}x`,
      "",
      `<= ${RATIO_LIMIT}x`,
      verdict(synthRatio <= RATIO_LIMIT),
    ],
    [
      `app alone (node dist/main.js), ${smallServices} svc`,
      seconds(appSmall),
      list(app.small),
      "",
      "",
    ],
    [`app alone (node dist/main.js), ${LARGE_APP} svc`, seconds(appLarge), list(app.large), "", ""],
    [
      `app alone ratio ${LARGE_APP}/${smallServices}`,
      `${appRatio.toFixed(2)}x`,
      "",
      `<= ${RATIO_LIMIT}x`,
      verdict(appRatio <= RATIO_LIMIT),
    ],
    [
      `  same, CDK_VALIDATION=false, ${smallServices} svc`,
      seconds(bareSmall),
      list(appNoValidation.small),
      "",
      "",
    ],
    [
      `  same, CDK_VALIDATION=false, ${LARGE_APP} svc`,
      seconds(bareLarge),
      list(appNoValidation.large),
      "",
      "",
    ],
    [
      `  same, CDK_VALIDATION=false, ratio ${LARGE_APP}/${smallServices}`,
      `${(bareLarge / bareSmall).toFixed(2)}x`,
      "",
      "(info)",
      "",
    ],
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  const line = (row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col]))
      .join("  ")
      .trimEnd();
  console.log("");
  console.log(line(rows[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows.slice(1)) console.log(line(row));
  console.log("");
  if (!allWarmHits) {
    const first = builds.find((b) => !b.allHits);
    console.log(
      `Warm builds that missed: ${[...new Set(builds.flatMap((b) => b.missed ?? []))].join(", ")}`,
    );
    const allChanges = Object.values(first.changes ?? {}).flat();
    for (const [taskId, changes] of Object.entries(first.changes ?? {})) {
      const kinds = [...new Set(changes.map((c) => c.slice(1).replace(/\/.*$/, "/…")))].slice(0, 8);
      console.log(
        changes.length
          ? `  ${taskId}: ${changes.length} input file(s) differ from the cold run (${kinds.join(", ")})`
          : `  ${taskId}: same input files; missed because the hashes of the tasks it depends on changed`,
      );
    }
    const outputsOnly = allChanges.every((c) => /^[+~-](dist|\.turbo)\//.test(c));
    if (allChanges.length && outputsOnly && !existsSync(join(small, ".git")))
      console.log(
        "  The differing inputs are the cold build's own outputs. The copies have no .git, so Turborepo\n" +
          "  hashes files itself, and for tasks with `inputs` it then counts git-ignored files (dist/,\n" +
          "  .turbo/turbo-build.log) as inputs: the first build after outputs appear always misses.",
      );
  }
  if (reinstalled)
    notes.add(
      "the first pnpm command after install in the 50-service copy re-ran pnpm install (postinstall rewrote package.json names)",
    );
  for (const note of notes) console.log(`Note: ${note}`);
  console.log(
    `Times are wall clock; medians of ${REPEATS}. Load average at the end: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}. Total ${elapsed()}.`,
  );
}

const watchdog = setTimeout(() => {
  console.error(`benchmark: gave up after ${DEADLINE_MS / 60_000} minutes`);
  cleanUp();
  process.exit(1);
}, DEADLINE_MS);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    console.error(`benchmark: ${signal}; removing the temporary copies`);
    cleanUp();
    process.exit(130);
  });
}

try {
  await main();
  clearTimeout(watchdog);
  say("cleaning up temporary copies…");
  cleanUp();
} catch (error) {
  clearTimeout(watchdog);
  console.error(`\nbenchmark failed: ${error.message}`);
  cleanUp();
  process.exit(1);
}
