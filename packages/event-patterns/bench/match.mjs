// Matching benchmark: 100 rules of mixed kinds (source equality, prefix, numeric, anything-but,
// wildcard, $or) against a stream of generated events, every event evaluated against every rule,
// as an event bus does. Prints the median of several runs. Build first (`pnpm run build`).
import { performance } from "node:perf_hooks";
import { compilePattern } from "../dist/index.js";

const EVENTS = 20_000;
const RUNS = 9;
const SOURCES = 60;

// Deterministic pseudo-random numbers, so every run and every machine sees the same stream.
function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(42);
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (n) => Math.floor(random() * n);

const DETAIL_TYPES = [
  "Order Placed",
  "Order Shipped",
  "Payment Failed",
  "Heartbeat",
  "User Signed Up",
];
const STATUSES = ["ok", "pending", "test-run", "failed", "test-load"];
const PRIORITIES = ["low", "normal", "high"];

function rules() {
  const list = [];
  for (let i = 0; i < 40; i++) list.push({ source: [`svc-${i}`] });
  for (let i = 0; i < 10; i++) {
    list.push({ source: [`svc-${i * 3}`], "detail-type": [DETAIL_TYPES[i % DETAIL_TYPES.length]] });
  }
  for (let i = 0; i < 10; i++) list.push({ detail: { orderId: [{ prefix: `ord-${i}` }] } });
  for (let i = 0; i < 10; i++) {
    list.push({
      source: [`svc-${i}`, `svc-${i + 10}`],
      detail: { amount: [{ numeric: [">", i * 50, "<=", i * 50 + 400] }] },
    });
  }
  for (let i = 0; i < 10; i++) {
    list.push({
      "detail-type": [{ "anything-but": ["Heartbeat"] }],
      detail: { status: [{ "anything-but": { prefix: "test-" } }], region: [`eu-${i}`] },
    });
  }
  for (let i = 0; i < 10; i++) {
    list.push({ detail: { path: [{ wildcard: `/api/v${i % 3}/*/orders/*` }] } });
  }
  for (let i = 0; i < 10; i++) {
    list.push({
      source: [`svc-${i * 5}`],
      $or: [{ detail: { priority: ["high"] } }, { detail: { amount: [{ numeric: [">=", 900] }] } }],
    });
  }
  return list;
}

function event(i) {
  return {
    version: "0",
    id: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
    "detail-type": pick(DETAIL_TYPES),
    source: `svc-${int(SOURCES)}`,
    account: "123456789012",
    time: "2024-05-01T12:00:00Z",
    region: "eu-west-1",
    resources: [`arn:aws:svc:eu-west-1:123456789012:thing/${int(1000)}`],
    detail: {
      orderId: `ord-${int(100000)}`,
      amount: Math.round(random() * 100000) / 100,
      status: pick(STATUSES),
      priority: pick(PRIORITIES),
      region: `eu-${int(12)}`,
      path: `/api/v${int(4)}/tenant-${int(50)}/${pick(["orders", "users"])}/${int(1e6)}`,
      items: [{ sku: `sku-${int(500)}`, qty: 1 + int(5) }],
    },
  };
}

const patterns = rules();
const compileStart = performance.now();
const compiled = patterns.map((p) => compilePattern(p));
const compileMs = performance.now() - compileStart;
const events = Array.from({ length: EVENTS }, (_, i) => event(i));

function run() {
  let matched = 0;
  const start = performance.now();
  for (const e of events) {
    for (const rule of compiled) if (rule.matches(e)) matched++;
  }
  return { ms: performance.now() - start, matched };
}

run(); // warm-up: let the JIT settle before measuring
const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(run());
const times = runs.map((r) => r.ms).sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const evaluations = EVENTS * compiled.length;
const fmt = (n) => Math.round(n).toLocaleString("en-US");

console.log(`rules: ${compiled.length} (compiled in ${compileMs.toFixed(1)} ms)`);
console.log(
  `events: ${fmt(EVENTS)} per run, ${RUNS} runs; matches per run: ${fmt(runs[0].matched)}`,
);
console.log(
  `median run: ${median.toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times.at(-1).toFixed(1)})`,
);
console.log(`pattern evaluations/s: ${fmt(evaluations / (median / 1000))}`);
console.log(`events/s against all ${compiled.length} rules: ${fmt(EVENTS / (median / 1000))}`);
