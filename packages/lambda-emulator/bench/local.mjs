// Local benchmark: the emulator (real aws-lambda-ric, bundled handler) against a bare node:http
// server answering the same JSON, sequentially and with 8 invocations in flight; then cold
// starts. Both servers run as their own processes, as callers meet them (the emulator through
// its shipped CLI, dist/cli.js): build first (`npm run build`). Loopback only, bounded.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { startEmulator } from "../dist/index.js";

const SEQUENTIAL = 500;
const WARM_UP = 500;
const IN_FLIGHT = 8;
const IN_FLIGHT_TOTAL = 2_000;
const COLD_STARTS = 5;
const DEADLINE_MS = 120_000;
const INVOKE_PATH = "/2015-03-31/functions/function/invocations";

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const ric = createRequire(import.meta.url).resolve("aws-lambda-ric");
const event = { orderId: "o-123", items: [{ sku: "abc", qty: 2 }], note: "benchmark" };
const payload = JSON.stringify(event);
const children = new Set();

// Bounded in time whatever happens: never leave servers or runtimes behind.
const watchdog = setTimeout(() => {
  console.error(`benchmark: gave up after ${DEADLINE_MS / 1000} s`);
  for (const child of children) child.kill("SIGKILL");
  process.exit(1);
}, DEADLINE_MS);

/** The handler as a service ships it: one esbuild bundle in a task root of its own. */
async function bundleHandler() {
  const dir = mkdtempSync(join(tmpdir(), "lambda-emulator-bench-"));
  await build({
    entryPoints: [here("./handler.mjs")],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    outfile: join(dir, "index.mjs"),
    logLevel: "warning",
  });
  return dir;
}

/** Starts a server process and resolves with its URL once it says where it listens. */
function startServer(args) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return new Promise((resolve, reject) => {
    let head = "";
    const onData = (chunk) => {
      head += chunk;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(head)?.[1];
      // Keep reading (and dropping) the emulator's log lines so its stdout never blocks.
      if (url) {
        child.stdout.off("data", onData).resume();
        resolve({ url, stop: () => stopChild(child) });
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
}

function stopChild(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

function post(agent, url) {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${INVOKE_PATH}`, {
      method: "POST",
      agent,
      headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) },
    });
    req.on("response", (res) => {
      let size = 0;
      res.on("data", (chunk) => {
        size += chunk.length;
      });
      res.on("end", () => {
        if (res.statusCode === 200 && size > 0) resolve();
        else reject(new Error(`HTTP ${res.statusCode}`));
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** `total` invocations through `lanes` concurrent loops, after a warm-up: latencies, rate. */
async function measure(url, lanes, total) {
  const agent = new Agent({ keepAlive: true, maxSockets: lanes });
  const run = async (count, latencies) => {
    let started = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (started < count) {
          started += 1;
          const t0 = performance.now();
          await post(agent, url);
          latencies?.push(performance.now() - t0);
        }
      }),
    );
  };
  await run(WARM_UP);
  const latencies = [];
  const t0 = performance.now();
  await run(total, latencies);
  const elapsed = performance.now() - t0;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { p50: pct(50), p99: pct(99), perSecond: (total / elapsed) * 1000 };
}

/** Time from the invoke that spawns the runtime to its answer, each with a fresh emulator. */
async function coldStarts(taskRoot) {
  const firstAnswers = [];
  const inits = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    let log = "";
    const output = new Writable({
      write(chunk, _encoding, callback) {
        log += chunk;
        callback();
      },
    });
    const emulator = await startEmulator({
      command: [process.execPath, ric, "index.handler"],
      taskRoot,
      port: 0,
      output,
    });
    try {
      const t0 = performance.now();
      const result = await emulator.invoke(event);
      firstAnswers.push(performance.now() - t0);
      if (result.statusCode !== 200) throw new Error(`cold start failed: ${result.body}`);
    } finally {
      await emulator.stop();
    }
    inits.push(Number(/Init Duration: ([\d.]+) ms/.exec(log)?.[1]));
  }
  return { firstAnswer: median(firstAnswers), initDuration: median(inits) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const taskRoot = await bundleHandler();
try {
  const answer = JSON.stringify({ ok: true, buildId: "000000000000", echo: event });
  const floor = await startServer([here("./floor-server.mjs"), answer]);
  const floorSeq = await measure(floor.url, 1, SEQUENTIAL);
  const floorPar = await measure(floor.url, IN_FLIGHT, IN_FLIGHT_TOTAL);
  await floor.stop();

  const emulator = await startServer([
    here("../dist/cli.js"),
    ...["--port", "0", "--concurrency", String(IN_FLIGHT), "--task-root", taskRoot, "--"],
    ...[process.execPath, ric, "index.handler"],
  ]);
  const emuSeq = await measure(emulator.url, 1, SEQUENTIAL);
  const emuPar = await measure(emulator.url, IN_FLIGHT, IN_FLIGHT_TOTAL);
  await emulator.stop();

  const cold = await coldStarts(taskRoot);

  const num = (value, digits) => value.toFixed(digits).padStart(12);
  const row = (label, a, b, digits) =>
    `${label.padEnd(30)}${num(a, digits)}${num(b, digits)}${num(b / a, 1)}x`;
  const seqRatio = emuSeq.p50 / floorSeq.p50;
  const scaling = emuPar.perSecond / emuSeq.perSecond;
  const verdict = (ok) => (ok ? "met" : "MISSED");
  console.log(
    [
      `lambda-emulator benchmark: node ${process.version}, loopback, keep-alive node:http clients`,
      `(${SEQUENTIAL} sequential and ${IN_FLIGHT_TOTAL} with ${IN_FLIGHT} in flight, each after ${WARM_UP} warm-up)`,
      "",
      `${"".padEnd(30)}${"floor".padStart(12)}${"emulator".padStart(12)}${"ratio".padStart(13)}`,
      row("sequential p50 (ms)", floorSeq.p50, emuSeq.p50, 3),
      row("sequential p99 (ms)", floorSeq.p99, emuSeq.p99, 3),
      row("sequential invocations/s", floorSeq.perSecond, emuSeq.perSecond, 0),
      row(`${IN_FLIGHT} in flight p50 (ms)`, floorPar.p50, emuPar.p50, 3),
      row(`${IN_FLIGHT} in flight p99 (ms)`, floorPar.p99, emuPar.p99, 3),
      row(`${IN_FLIGHT} in flight invocations/s`, floorPar.perSecond, emuPar.perSecond, 0),
      "",
      `sequential p50, emulator / floor:              ${seqRatio.toFixed(1)}x  (target <= 4x: ${verdict(seqRatio <= 4)})`,
      `emulator throughput, ${IN_FLIGHT} in flight / sequential:  ${scaling.toFixed(1)}x  (target >= 2x: ${verdict(scaling >= 2)})`,
      `cold start, bundled handler, median of ${COLD_STARTS}:     ${cold.firstAnswer.toFixed(1)} ms from spawn to first answer (Init Duration ${cold.initDuration.toFixed(1)} ms)`,
    ].join("\n"),
  );
} finally {
  rmSync(taskRoot, { recursive: true, force: true });
  await Promise.all([...children].map(stopChild));
  clearTimeout(watchdog);
}
