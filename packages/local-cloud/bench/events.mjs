// Figures for the local environment, measured side by side in one run (medians of 5):
//  1. end to end: events put through the PutEvents endpoint (the AWS SDK) until their success
//     records are on the destination buses, across both services, with 1 and 4 runtime
//     processes per function (the chained results the subscriptions add run meanwhile, and
//     are not counted), with the state in a database file and in an in-memory one;
//  2. routing: events routed per second by a bus holding 1 and 100 rules of mixed kinds;
//  3. memory: RSS after 1,000 and after 100,000 events put through PutEvents (in process, no
//     HTTP) onto source_bus with a source no rule matches, so each is archived and logged on
//     the state file but runs no function: what grows with the event count is the state.
// Needs a synthesized app: run `pnpm synth` at the root first. Usage: pnpm bench:cloud
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { appAssembly } from "../dist/dev/app-root.js";
import { LocalBus } from "../dist/engine/local-bus.js";
import { startEnvironment } from "../dist/environment.js";
import { median, nullStream } from "./measure.mjs";

const assembly = appAssembly();
if (!existsSync(join(assembly, "manifest.json"))) {
  console.error(`no cloud assembly at ${assembly}: run pnpm synth first`);
  process.exit(1);
}
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const stateFolder = mkdtempSync(join(tmpdir(), "bench-cloud-"));
let stateFiles = 0;

async function endToEnd(
  concurrency,
  events,
  stateFile = join(stateFolder, `${++stateFiles}.sqlite`),
) {
  let results = 0;
  let done;
  const allDone = new Promise((resolve) => (done = resolve));
  const environment = await startEnvironment({
    assembly,
    listen: { host: "127.0.0.1", port: 0 },
    concurrency,
    stateFile,
    functionLogs: () => nullStream,
    observer: (o) => {
      // First-hop results only (the request was a put event, not another service's result):
      // the subscriptions downstream add more results per event.
      if (
        o.kind === "bus" &&
        o.event.source === "lambda" &&
        o.event.detail.requestPayload.source !== "lambda" &&
        ++results === events
      )
        done();
    },
  });
  const client = new EventBridgeClient({
    endpoint: environment.url,
    region: environment.model.place.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const entry = (i) => ({
    EventBusName: "source_bus",
    Source: i % 2 === 0 ? "backtosource" : "toanother",
    DetailType: "Details",
    Detail: JSON.stringify({ message: "Hello World", i }),
  });
  // Warm the runtimes so cold starts are not counted.
  await client.send(new PutEventsCommand({ Entries: [entry(0), entry(1)] }));
  await environment.cloud.settled();
  results = 0;
  const started = process.hrtime.bigint();
  const requests = [];
  for (let i = 0; i < events; i += 10) {
    requests.push(
      client.send(
        new PutEventsCommand({ Entries: Array.from({ length: 10 }, (_, k) => entry(i + k)) }),
      ),
    );
  }
  await Promise.all(requests);
  await allDone;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  client.destroy();
  await environment.stop();
  return events / seconds;
}

function routing(ruleCount, events) {
  const kinds = [
    (i) => ({ source: [`svc-${i}`] }),
    (i) => ({ source: [{ prefix: `team-${i}-` }] }),
    (i) => ({ detail: { price: [{ numeric: [">", i, "<=", i + 100] }] } }),
    (i) => ({ source: [`svc-${i}`], detail: { state: [{ "anything-but": ["done", "failed"] }] } }),
    (i) => ({ "detail-type": [{ wildcard: `order*${i}` }] }),
    (i) => ({
      $or: [{ source: [`svc-${i}`] }, { detail: { region: [{ "equals-ignore-case": "EU" }] } }],
    }),
  ];
  const bus = new LocalBus({
    name: "bench",
    arn: "arn:aws:events:us-east-1:0:event-bus/bench",
    created: true,
  });
  for (let i = 0; i < ruleCount; i++) {
    bus.addRule({
      path: `r${i}`,
      name: `r${i}`,
      arn: `r${i}`,
      busName: "bench",
      pattern: kinds[i % kinds.length](i),
      enabled: true,
      targets: [],
    });
  }
  const stream = Array.from({ length: 1000 }, (_, i) => ({
    version: "0",
    id: String(i),
    "detail-type": `order placed ${i % 120}`,
    source: `svc-${i % 150}`,
    account: "0",
    time: "2026-11-27T00:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { price: i % 300, state: i % 3 === 0 ? "done" : "open", region: i % 2 ? "eu" : "us" },
  }));
  const started = process.hrtime.bigint();
  let matched = 0;
  for (let n = 0; n < events; n++) matched += bus.route(stream[n % stream.length]).length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    eventsPerSecond: events / seconds,
    evaluationsPerSecond: (events * ruleCount) / seconds,
    matched,
  };
}

async function memory() {
  const environment = await startEnvironment({
    assembly,
    stateFile: join(stateFolder, "memory.sqlite"),
    functionLogs: () => nullStream,
  });
  const { putEvents } = await import("../dist/protocols/events-api.js");
  const put = (from) =>
    environment.state.transaction(() =>
      putEvents(
        {
          Entries: Array.from({ length: 10 }, (_, k) => ({
            EventBusName: "source_bus",
            Source: "bench.unmatched",
            DetailType: "Details",
            Detail: JSON.stringify({ message: "Hello World", i: from + k }),
          })),
        },
        environment.eventsApi,
      ),
    );
  const rss = [];
  for (let i = 0; i < 100_000; i += 10) {
    put(i);
    if (i + 10 === 1_000 || i + 10 === 100_000) {
      await new Promise((resolve) => setTimeout(resolve, 1100)); // a pruning pass
      globalThis.gc?.();
      rss.push(process.memoryUsage().rss);
    }
    if (i % 5_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await environment.stop();
  return rss;
}

const e2e = { 1: [], 4: [], memory: [] };
const route = { 1: [], 100: [] };
for (let run = 0; run < RUNS; run++) {
  for (const c of [1, 4]) e2e[c].push(await endToEnd(c, 1000));
  e2e.memory.push(await endToEnd(4, 1000, ":memory:"));
  for (const r of [1, 100]) route[r].push(routing(r, r === 1 ? 200_000 : 20_000));
}
const [rss1k, rss100k] = await memory();
rmSync(stateFolder, { recursive: true, force: true });
const fmt = (n) => Math.round(n).toLocaleString("en-US");
console.log(
  `end to end, put to success record (1,000 events over both services, median of ${RUNS}):`,
);
console.log(`  1 runtime process per function:  ${fmt(median(e2e[1]))} events/s`);
console.log(
  `  4 runtime processes per function: ${fmt(median(e2e[4]))} events/s  (${(median(e2e[4]) / median(e2e[1])).toFixed(2)}x)`,
);
console.log(
  `  4 processes, state in memory:     ${fmt(median(e2e.memory))} events/s  (state file / memory: ${(median(e2e[4]) / median(e2e.memory)).toFixed(2)}x)`,
);
console.log(`routing on one bus (median of ${RUNS}):`);
const r1 = median(route[1].map((r) => r.eventsPerSecond));
const r100 = median(route[100].map((r) => r.eventsPerSecond));
console.log(`  1 rule:    ${fmt(r1)} events/s`);
console.log(
  `  100 rules: ${fmt(r100)} events/s = ${fmt(median(route[100].map((r) => r.evaluationsPerSecond)))} pattern matches/s`,
);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(
  "memory, events put in process onto the state file (archived and logged, no function run):",
);
console.log(
  `  RSS after 1,000 events: ${mb(rss1k)}; after 100,000: ${mb(rss100k)}  (${(rss100k / rss1k).toFixed(2)}x)`,
);
