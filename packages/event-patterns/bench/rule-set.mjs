// Routing benchmark: a bus's rules against a stream of events, for 10 to 10,000 rules, with the
// rule-set matcher (compileRuleSet) and with the per-rule loop (every compiled pattern tried in
// turn) side by side. Prints the median of several time-bounded runs. Build first.
// BASELINE=<path of another build's index.js> also measures that build's rule set in the same
// process, on the same rules and events (e.g. a copy of main's dist, to compare a change).
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { compilePattern, compileRuleSet } from "../dist/index.js";

const baseline = process.env.BASELINE
  ? await import(pathToFileURL(resolve(process.env.BASELINE)).href)
  : undefined;

const RULE_COUNTS = [10, 100, 1_000, 10_000];
const EVENTS = 2_000;
const RUNS = 7;
const RUN_MS = 150;
const SOURCES = 1_000;

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

const DETAIL_TYPES = Array.from({ length: 100 }, (_, i) =>
  i % 2 === 0 ? `Order Event ${i}` : `Account Event ${i}`,
);
const STATUSES = ["ok", "pending", "test-run", "failed", "test-load"];
const PRIORITIES = ["low", "normal", "high"];
const sourceNumber = () => String(int(SOURCES)).padStart(3, "0");
const source = () => `com.acme.svc-${sourceNumber()}`;

/**
 * A bus-like mix: 55% identical-shape source + detail-type equality filters with differing
 * values; 44.8% a source or detail-type filter (equality, or a prefix or wildcard naming ten
 * sources) with prefix, numeric, anything-but, exists or $or conditions on the detail; 0.2%
 * with no exact or prefix condition at all (numeric and anything-but on the detail only).
 */
function rule() {
  const x = random();
  if (x < 0.55) return { source: [source()], "detail-type": [pick(DETAIL_TYPES)] };
  if (x < 0.63) return { source: [source()], detail: { orderId: [{ prefix: `ord-${int(10)}` }] } };
  if (x < 0.71) {
    const low = int(900);
    return {
      source: [source()],
      detail: { amount: [{ numeric: [">", low, "<=", low + 100] }] },
    };
  }
  if (x < 0.78) {
    return {
      source: [source(), source()],
      detail: { status: [{ "anything-but": { prefix: "test-" } }] },
    };
  }
  if (x < 0.84) {
    return { "detail-type": [pick(DETAIL_TYPES)], detail: { priority: [{ exists: true }] } };
  }
  if (x < 0.89) {
    return {
      source: [source()],
      $or: [{ detail: { priority: ["high"] } }, { detail: { amount: [{ numeric: [">=", 900] }] } }],
    };
  }
  const tenSources = `com.acme.svc-${sourceNumber().slice(0, 2)}`;
  if (x < 0.93) return { source: [{ prefix: tenSources }], "detail-type": [pick(DETAIL_TYPES)] };
  if (x < 0.97) {
    return {
      source: [{ wildcard: `${tenSources}*` }],
      detail: { path: [{ wildcard: "/api/*/orders/*" }] },
    };
  }
  if (x < 0.998)
    return { "detail-type": [{ prefix: pick(DETAIL_TYPES) }], detail: { priority: ["high"] } };
  return {
    detail: { amount: [{ numeric: [">", 990 + int(10)] }], status: [{ "anything-but": "ok" }] },
  };
}

/**
 * Every other event comes from a service that no rule names (its own sources and detail types),
 * as on a real bus where most events are routed to few targets or none.
 */
function event(i) {
  const foreign = i % 2 === 1;
  return {
    version: "0",
    id: `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
    "detail-type": foreign ? `External Event ${int(100)}` : pick(DETAIL_TYPES),
    source: foreign ? `com.acme.ext-${sourceNumber()}` : source(),
    account: "123456789012",
    time: "2024-05-01T12:00:00Z",
    region: "eu-west-1",
    resources: [`arn:aws:svc:eu-west-1:123456789012:thing/${int(1000)}`],
    detail: {
      orderId: `ord-${int(100000)}`,
      amount: Math.round(random() * 100000) / 100,
      status: pick(STATUSES),
      priority: pick(PRIORITIES),
      path: `/api/v${int(4)}/tenant-${int(50)}/${pick(["orders", "users"])}/${int(1e6)}`,
      items: [{ sku: `sku-${int(500)}`, qty: 1 + int(5) }],
    },
  };
}

const events = Array.from({ length: EVENTS }, (_, i) => event(i));

/** Events per second, going round the events for RUN_MS. */
function rate(route) {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < RUN_MS) {
    for (let i = 0; i < 20; i++) route(events[n++ % EVENTS]);
    elapsed = performance.now() - start;
  }
  return n / (elapsed / 1000);
}

/**
 * The median events/s of each route: a warm-up run each, then RUNS rounds that run every route
 * once, so that a change in the machine's load touches every figure alike.
 */
function measureAll(routes) {
  for (const route of routes) rate(route); // warm-up: let the JIT settle
  globalThis.gc?.(); // start without the garbage of compiling (node --expose-gc)
  const rates = routes.map(() => []);
  for (let run = 0; run < RUNS; run++) {
    for (const [i, route] of routes.entries()) rates[i].push(rate(route));
  }
  return rates.map((list) => list.sort((a, b) => a - b)[Math.floor(RUNS / 2)]);
}

const fmt = (n) => Math.round(n).toLocaleString("en-US").padStart(11);
const allRules = Array.from({ length: Math.max(...RULE_COUNTS) }, (_, i) => ({
  name: `rule-${i}`,
  pattern: rule(),
}));

console.log(
  `${EVENTS.toLocaleString("en-US")} distinct events, events/s = median of ${RUNS} runs of ${RUN_MS} ms`,
);
console.log(
  `      rules | set compile ms | rule set events/s | per-rule loop events/s | speed-up${baseline ? " | BASELINE rule set events/s" : ""}`,
);
const configs = RULE_COUNTS.map((count) => {
  const rules = allRules.slice(0, count);
  const compileStart = performance.now();
  const set = compileRuleSet(rules);
  const compileMs = performance.now() - compileStart;
  const compiled = rules.map((r) => ({ name: r.name, pattern: compilePattern(r.pattern) }));
  // Same answers both ways (on part of the stream: the per-rule loop is slow at 10,000 rules).
  for (const e of events.slice(0, 200)) {
    const expected = compiled.filter((rule) => rule.pattern.matches(e)).map((rule) => rule.name);
    if (JSON.stringify(set.matching(e)) !== JSON.stringify(expected)) {
      throw new Error(`rule set and per-rule loop disagree at ${count} rules`);
    }
  }
  const old = baseline?.compileRuleSet(rules);
  const routes = [
    (e) => set.matching(e).length,
    (e) => {
      let n = 0;
      for (const rule of compiled) if (rule.pattern.matches(e)) n++;
      return n;
    },
  ];
  if (old !== undefined) routes.push((e) => old.matching(e).length);
  const unmatched = events.filter((e) => set.matching(e).length === 0).length / EVENTS;
  return { count, set, compileMs, routes, unmatched };
});
const rates = measureAll(configs.flatMap((config) => config.routes));
const results = [];
for (const { count, set, compileMs, routes, unmatched } of configs) {
  const [viaSet, viaLoop, viaBaseline] = rates.splice(0, routes.length);
  results.push({ count, set: viaSet, loop: viaLoop, baseline: viaBaseline });
  console.log(
    `${fmt(count)} | ${compileMs.toFixed(1).padStart(14)} | ${fmt(viaSet)}       | ${fmt(viaLoop)}            | ${(viaSet / viaLoop).toFixed(1).padStart(7)}x${baseline ? ` | ${fmt(viaBaseline)}` : ""}   (sub-rules: ${set.stats.counted} by transitions, ${set.stats.indexed} evaluated when pre-selected, ${set.stats.unindexed} always evaluated; ${Math.round(100 * unmatched)}% of events match no rule)`,
  );
}
const first = results[0];
const last = results.at(-1);
console.log(
  `throughput at ${last.count.toLocaleString("en-US")} rules / at ${first.count} rules: rule set ${(last.set / first.set).toFixed(3)}, per-rule loop ${(last.loop / first.loop).toFixed(4)} (target for the rule set: >= 0.1)${baseline ? `, BASELINE rule set ${(last.baseline / first.baseline).toFixed(3)}` : ""}`,
);
