// The development loop, measured (medians of 10):
//  1. edit → effect: from saving a handler file (a change of the value it returns) to the first
//     invocation that runs the new code, with `pnpm start`'s live reload (esbuild rebuild, new
//     runtime processes), events flowing every few milliseconds meanwhile;
//  2. send round trip: `pnpm send` of the seed's event to a warm running environment until it
//     has printed everything the event caused: the CLI (node's start-up included; `pnpm send`
//     adds turbo's up-to-date check before it) and the same in-process.
// It works on a copy of services/backtosource in a temporary folder: the checkout is not
// touched. Usage: pnpm bench:dev
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { readModel } from "@ebsvc/cloud-assembly";
import { bundleService } from "@ebsvc/service-image";
import { synthServicesApp } from "@ebsvc/test-fixtures";
import { copyServiceFolder } from "@ebsvc/test-fixtures/temp-repos";
import { startLiveReload } from "../dist/dev/live-reload.js";
import { sendToRunning } from "../dist/dev/remote-send.js";
import { startEnvironment } from "../dist/environment.js";
import { putEvents } from "../dist/protocols/events-api.js";
import { median, nullStream } from "./measure.mjs";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = 10;
const DEADLINE_MS = 10_000; // for one save to take effect
const ms = (value) => `${Math.round(value)} ms`;

// A copy of backtosource, its node_modules linked, bundled, in an app of its own.
const temp = mkdtempSync(join(tmpdir(), "bench-dev-"));
const service = join(temp, "services", "backtosource");
copyServiceFolder("backtosource", service);
await bundleService(service);
const assembly = synthServicesApp([service]);
readModel(assembly);

const answers = new Map(); // event id -> [answer, when observed]
const environment = await startEnvironment({
  assembly,
  listen: { host: "127.0.0.1", port: 0 },
  functionLogs: () => nullStream,
  observer: (o) => {
    if (o.kind === "bus" && o.event.source === "lambda") {
      const { requestPayload, responsePayload } = o.event.detail;
      answers.set(requestPayload.id, [responsePayload.reponse, performance.now()]);
    }
  },
});
const reloads = [];
const live = startLiveReload({
  environment,
  say: (line) => {
    const bundle = line.match(/^reloaded backtosource \(bundle (\d+) ms\)$/);
    if (bundle) reloads.push(Number(bundle[1]));
    else console.error(line);
  },
});

const put = () => {
  const { Entries } = putEvents(
    {
      Entries: [
        {
          EventBusName: "source_bus",
          Source: "backtosource",
          DetailType: "Details",
          Detail: '{"message":"Hello World"}',
        },
      ],
    },
    environment.eventsApi,
  );
  return Entries[0].EventId;
};

function spawnAsync(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.resume();
    child.on("exit", (status) => resolve({ status, stderr }));
  });
}

const handlerFile = join(service, "src", "index.ts");
const original = readFileSync(handlerFile, "utf8");
const sleep = (delay) => new Promise((resolve) => setTimeout(resolve, delay));

try {
  console.log(
    `machine: load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(" ")} on ${(await import("node:os")).availableParallelism()} cores`,
  );
  // Warm: runtime processes up, the esbuild context primed.
  put();
  await environment.settled();
  await live.idle();

  const effects = [];
  for (let run = 1; run <= RUNS; run++) {
    const expected = `Hello edit ${run}`;
    writeFileSync(handlerFile, original.replace('"Hello Lambda"', JSON.stringify(expected)));
    const saved = performance.now();
    let effect;
    // Events keep flowing every 5 ms; the effect is when the first one answers the new value.
    while (effect === undefined && performance.now() - saved < DEADLINE_MS) {
      put();
      await sleep(5);
      for (const [answer, at] of answers.values()) {
        if (answer === expected && (effect === undefined || at < effect)) effect = at;
      }
    }
    if (effect === undefined) throw new Error(`save ${run} had no effect in ${DEADLINE_MS} ms`);
    effects.push(effect - saved);
    await environment.settled();
    await live.idle();
  }
  console.log(
    `edit → effect (save → first invocation running the new code), ${RUNS} saves: p50 ${ms(median(effects))} (min ${ms(Math.min(...effects))}, max ${ms(Math.max(...effects))}); esbuild rebuild p50 ${ms(median(reloads))}   target ≤ 1000 ms, aim ~100 ms`,
  );

  // Send round trip on the warm environment.
  const entry = {
    EventBusName: "source_bus",
    Source: "backtosource",
    DetailType: "Details",
    Detail: '{"message":"Hello World"}',
    Resources: [],
  };
  const inProcess = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const result = await sendToRunning(environment.url, entry, 10_000);
    if (!result.settled || result.observations.length !== 2) throw new Error("send did not settle");
    inProcess.push(performance.now() - started);
  }
  const cli = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    // Not spawnSync: this process runs the environment the CLI talks to.
    const child = await spawnAsync(process.execPath, [
      join(packageDir, "dist", "cli.js"),
      "send",
      "--endpoint",
      environment.url,
      "--bus",
      "source_bus",
      "--source",
      "backtosource",
      "--detail-type",
      "Details",
      "--detail",
      '{"message":"Hello World"}',
      "--json",
    ]);
    if (child.status !== 0) throw new Error(`send failed: ${child.stderr}`);
    cli.push(performance.now() - started);
  }
  console.log(
    `send round trip of the seed's event on a warm environment, ${RUNS} sends: CLI p50 ${ms(median(cli))} (node start-up included), in-process p50 ${ms(median(inProcess))}   target ≤ 500 ms`,
  );
} finally {
  writeFileSync(handlerFile, original);
  await live.stop();
  await environment.stop();
  rmSync(temp, { recursive: true, force: true });
  rmSync(assembly, { recursive: true, force: true });
}
