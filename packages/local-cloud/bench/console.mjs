// Figures for the local console in Debian's chromium, with the real app in the local cloud:
//  1. time to first paint on load (the performance API's first-contentful-paint; median of 5);
//  2. PutEvents (the AWS SDK) → the event's row visible in the timeline (median of 20);
//  3. the page's JS heap after 10,000 events (CDP Performance.getMetrics JSHeapUsedSize, after
//     a garbage collection), and scrolling the 10,000-row timeline (frame times).
// Needs a synthesized app (`pnpm synth` at the root) and /usr/bin/chromium.
// Usage: pnpm --filter @ebsvc/local-cloud run bench:console
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { chromium } from "playwright-core";
import { appAssembly } from "../dist/dev/app-root.js";
import { startEnvironment } from "../dist/environment.js";
import { median, nullStream, percentile } from "./measure.mjs";

const assembly = appAssembly();
if (!existsSync(join(assembly, "manifest.json"))) {
  console.error(`no cloud assembly at ${assembly}: run pnpm synth first`);
  process.exit(1);
}
if (!existsSync("/usr/bin/chromium")) {
  console.error("no /usr/bin/chromium: apt-get install -y chromium");
  process.exit(1);
}

const environment = await startEnvironment({
  assembly,
  listen: { host: "127.0.0.1", port: 0 },
  functionLogs: () => nullStream,
});
const client = new EventBridgeClient({
  endpoint: environment.url,
  region: environment.model.place.region,
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});
const profile = await mkdtemp(join(tmpdir(), "console-bench-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-precise-memory-info",
    "--disable-dev-shm-usage",
  ],
});
// Events no rule matches: the figures are the console's, not the services'.
const entry = (n) => ({
  EventBusName: "source_bus",
  Source: "bench",
  DetailType: "Bench",
  Detail: JSON.stringify({ n }),
});

try {
  const page = await context.newPage();

  // 1. First paint, on a fresh load each time.
  const paints = [];
  for (let run = 0; run < 5; run++) {
    // A new URL each time: a change of hash alone would not load the page again.
    await page.goto(`${environment.url}/?load=${run}#/timeline`, { waitUntil: "load" });
    await page.getByTestId("connection").filter({ hasText: "live" }).waitFor();
    paints.push(
      await page.evaluate(
        () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN,
      ),
    );
  }

  // 2. PutEvents → the row in the page.
  const latencies = [];
  for (let n = 0; n < 20; n++) {
    const sentAt = Date.now();
    const answer = await client.send(new PutEventsCommand({ Entries: [entry(n)] }));
    const id = answer.Entries?.[0]?.EventId;
    // Polled every animation frame: the figure includes up to one frame and a CDP round trip.
    await page.waitForFunction(
      (eventId) => document.querySelector(`a[data-event-id="${eventId}"]`) !== null,
      id,
      { polling: "raf" },
    );
    latencies.push(Date.now() - sentAt);
  }

  // 3. 10,000 events (10 per request, as PutEvents allows), then the heap and scrolling.
  const before = Number((await page.getByTestId("timeline-count").textContent()).split(" of ")[1]);
  const putStarted = Date.now();
  for (let batch = 0; batch < 1000; batch++) {
    await client.send(
      new PutEventsCommand({
        Entries: Array.from({ length: 10 }, (_, i) => entry(batch * 10 + i)),
      }),
    );
  }
  const target = `${before + 10_000} of ${before + 10_000}`;
  await page
    .getByTestId("timeline-count")
    .filter({ hasText: target })
    .waitFor({ timeout: 120_000 });
  const shownAfter = Date.now() - putStarted;
  const cdp = await context.newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("Performance.enable");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const heap = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? Number.NaN;
  const nodes = metrics.find((m) => m.name === "Nodes")?.value ?? Number.NaN;
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const list = document.querySelector(".virtual-list");
        const times = [];
        let last = performance.now();
        let step = 0;
        const tick = (now) => {
          times.push(now - last);
          last = now;
          list.scrollTop = (step * 997) % list.scrollHeight;
          if (++step < 120) requestAnimationFrame(tick);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(tick);
      }),
  );

  console.log("local console (chromium headless, the synthesized app in the local cloud)");
  console.log(
    `  first contentful paint:            median ${median(paints.filter(Number.isFinite)).toFixed(0)} ms (5 loads: ${paints.map((p) => p.toFixed(0)).join(", ")})`,
  );
  console.log(
    `  PutEvents → row in the timeline:   median ${median(latencies)} ms, p90 ${percentile(latencies, 0.9)} ms, max ${Math.max(...latencies)} ms (20 events)`,
  );
  console.log(`  10,000 events put → all listed:    ${shownAfter} ms`);
  console.log(
    `  JS heap after ${before + 10_000} entries: ${(heap / 1024 / 1024).toFixed(1)} MB (DOM nodes: ${nodes})`,
  );
  console.log(
    `  scrolling the timeline (120 jumps): frame median ${median(frames).toFixed(1)} ms, p95 ${percentile(frames, 0.95).toFixed(1)} ms`,
  );
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
  client.destroy();
  await environment.stop();
}
