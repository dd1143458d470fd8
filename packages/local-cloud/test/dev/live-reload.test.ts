import { cpSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { readModel } from "@ebsvc/cloud-assembly";
import { bundleService } from "@ebsvc/service-image";
import { synthServicesApp } from "@ebsvc/test-fixtures";
import { afterEach, describe, expect, it } from "vitest";
import type { BusEvent } from "../../src/bus-event.js";
import { type LiveReload, startLiveReload } from "../../src/dev/live-reload.js";
import { readServiceSettings } from "../../src/dev/service-settings.js";
import type { Observation } from "../../src/engine/observations.js";
import { type Environment, startEnvironment } from "../../src/environment.js";
import { putEvents } from "../../src/protocols/events-api.js";
import { eventually, quiet, ServicesCopy } from "./services-copy.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Running {
  copy: ServicesCopy;
  environment: Environment;
  live: LiveReload;
  said: string[];
  seen: Observation[];
}

async function start(services: string[], resynthesize = false): Promise<Running> {
  const copy = new ServicesCopy();
  cleanups.push(() => copy.remove());
  const directories = await Promise.all(services.map((id) => copy.add(id)));
  const seen: Observation[] = [];
  const environment = await startEnvironment({
    assembly: synthServicesApp(directories),
    timeScale: 0.001,
    observer: (observation) => seen.push(observation),
    functionLogs: quiet,
  });
  cleanups.push(() => environment.stop());
  const said: string[] = [];
  const live = startLiveReload({
    environment,
    say: (line) => said.push(line),
    settleMs: 100,
    resynthesis: resynthesize
      ? {
          servicesRoot: copy.servicesRoot,
          // As pnpm synth: bundle every service folder there is now, synthesize the app of them.
          synthesize: async () => {
            const directories = [...readServiceSettings(copy.servicesRoot).keys()].map((id) =>
              join(copy.servicesRoot, id),
            );
            await Promise.all(directories.map((directory) => bundleService(directory)));
            return readModel(synthServicesApp(directories));
          },
        }
      : undefined,
  });
  cleanups.push(() => live.stop());
  return { copy, environment, live, said, seen };
}

function put(environment: Environment, source: string, detail: object = { message: "Hi" }) {
  const result = putEvents(
    {
      Entries: [
        {
          EventBusName: "source_bus",
          Source: source,
          DetailType: "Details",
          Detail: JSON.stringify(detail),
        },
      ],
    },
    environment.eventsApi,
  );
  const [entry] = result.Entries;
  if (!entry || !("EventId" in entry)) throw new Error(`refused: ${JSON.stringify(entry)}`);
  return entry.EventId;
}

/** The success records' answers, by the id of the event each answered. */
function answers(seen: Observation[]): Map<string, string> {
  const byEvent = new Map<string, string>();
  for (const observation of seen) {
    if (observation.kind !== "bus" || observation.event.source !== "lambda") continue;
    const detail = observation.event.detail as {
      requestPayload: BusEvent;
      responsePayload: { reponse: string };
    };
    byEvent.set(detail.requestPayload.id, detail.responsePayload.reponse);
  }
  return byEvent;
}

describe("live reload of a service's bundle", () => {
  it("under load: no event lost, and every event sent after the reload runs the new code", async () => {
    const { copy, environment, said, seen } = await start(["backtosource"]);
    const sent: { id: string; afterReload: boolean }[] = [];
    const deadline = Date.now() + 20_000;
    let edited = false;
    // Events flow the whole time: 40 before the save, then until 40 after the reload.
    while (sent.filter((event) => event.afterReload).length < 40 && Date.now() < deadline) {
      const afterReload = said.some((line) => line.startsWith("reloaded backtosource"));
      sent.push({ id: put(environment, "backtosource"), afterReload });
      if (sent.length === 40 && !edited) {
        copy.edit("backtosource", '"Hello Lambda"', '"Hello reloaded"');
        edited = true;
      }
      await new Promise((done) => setTimeout(done, 10));
    }
    await environment.settled();

    expect(said.find((line) => line.startsWith("reloaded"))).toMatch(
      /^reloaded backtosource \(bundle \d+ ms\)$/,
    );
    const answered = answers(seen);
    // Every event got its success record: none lost in the swap of runtime processes.
    expect(sent.filter((event) => !answered.has(event.id))).toEqual([]);
    const after = sent.filter((event) => event.afterReload);
    expect(after.length).toBe(40);
    expect(new Set(after.map((event) => answered.get(event.id)))).toEqual(
      new Set(["Hello reloaded"]),
    );
    // The first events ran the old code.
    expect(answered.get(sent[0]?.id ?? "")).toBe("Hello Lambda");
  }, 60_000);

  it("keeps the old code serving on a bundle error, and says where in one line", async () => {
    const { copy, environment, said, seen } = await start(["backtosource"]);
    copy.edit("backtosource", "return { statusCode: 200", "return { statusCode: 200 +* ");
    const [failure] = await eventually(
      () => said.filter((line) => line.includes("bundle failed")),
      (lines) => lines.length > 0,
    );
    expect(failure).toMatch(
      /^backtosource: bundle failed, the previous code keeps serving: src\/index\.ts:\d+:\d+: Unexpected "\*"$/,
    );
    const id = put(environment, "backtosource");
    await environment.settled();
    expect(answers(seen).get(id)).toBe("Hello Lambda");

    // Fixed, it reloads.
    copy.edit("backtosource", "200 +* ", "201");
    await eventually(
      () => said.filter((line) => line.startsWith("reloaded backtosource")),
      (lines) => lines.length > 0,
    );
    const fixed = put(environment, "backtosource");
    await environment.settled();
    const record = seen.find(
      (o) =>
        o.kind === "bus" &&
        (o.event.detail as { requestPayload?: { id?: string } }).requestPayload?.id === fixed,
    );
    expect(
      ((record as { event: BusEvent }).event.detail as { responsePayload: unknown })
        .responsePayload,
    ).toEqual({ statusCode: 201, reponse: "Hello Lambda" });
  }, 60_000);
});

describe("re-synthesis", () => {
  /** The number of messages in a service's dead-letter queue. */
  function deadLetters(environment: Environment, serviceId: string): number {
    const { model } = environment;
    const fn = model.functions.find((f) => f.service?.id === serviceId);
    const arn = model.invokeConfigs.find((c) => c.functionName === fn?.name)?.onFailure;
    const queue = environment.queues.find(arn ?? "");
    return Number(queue?.attributes(["ApproximateNumberOfMessages"]).ApproximateNumberOfMessages);
  }

  it("serves a new service folder after re-synthesizing in the background; queues keep their messages", async () => {
    const { copy, environment, said, seen } = await start(["backtosource"], true);
    // A malformed event ends, after its retries, in backtosource's dead-letter queue.
    put(environment, "backtosource", { message: 42 });
    await environment.settled();
    expect(deadLetters(environment, "backtosource")).toBe(1);

    await copy.add("backtosource", "payments");
    await eventually(
      () => said.filter((line) => line.startsWith("re-synthesized")),
      (lines) => lines.length > 0,
      60_000,
    );
    expect(said).toContain("re-synthesizing: + payments (the current model serves meanwhile)");
    expect(said.find((line) => line.startsWith("re-synthesized"))).toMatch(
      /^re-synthesized: \+ payments \(\d+\.\d s\)$/,
    );
    const id = put(environment, "payments");
    await environment.settled();
    expect(answers(seen).get(id)).toBe("Hello Lambda");
    expect(deadLetters(environment, "backtosource")).toBe(1);

    // The new service reloads on save, like the others.
    copy.edit("payments", '"Hello Lambda"', '"Hello payments"');
    await eventually(
      () => said.filter((line) => line.startsWith("reloaded payments")),
      (lines) => lines.length > 0,
    );
    const edited = put(environment, "payments");
    await environment.settled();
    expect(answers(seen).get(edited)).toBe("Hello payments");

    // A removed folder leaves the model; events for it match no rule any more.
    rmSync(join(copy.servicesRoot, "payments"), { recursive: true, force: true });
    await eventually(
      () => said.filter((line) => line.startsWith("re-synthesized: - payments")),
      (lines) => lines.length > 0,
      60_000,
    );
    const orphan = put(environment, "payments");
    await environment.settled();
    expect(answers(seen).has(orphan)).toBe(false);
    expect(environment.model.functions.map((fn) => fn.service?.id)).toEqual(["backtosource"]);
  }, 120_000);

  it("waits for pnpm install to link a copied folder before re-synthesizing", async () => {
    const { copy, said } = await start(["backtosource"], true);
    const staged = join(copy.root, "unlinked");
    cpSync(join(copy.servicesRoot, "backtosource"), staged, {
      recursive: true,
      filter: (path) => !/[/\\](node_modules|dist)$/.test(path),
    });
    renameSync(staged, join(copy.servicesRoot, "unlinked"));
    await eventually(
      () => said.filter((line) => line.startsWith("re-synthesis waits")),
      (lines) => lines.length > 0,
    );
    expect(said.at(-1)).toBe(
      "re-synthesis waits for pnpm install to link services/unlinked (the generator runs it; after a copy, run it yourself)",
    );
    // pnpm install links it (here: the link a workspace install makes): then it re-synthesizes.
    symlinkSync(
      join(copy.servicesRoot, "backtosource", "node_modules"),
      join(copy.servicesRoot, "unlinked", "node_modules"),
    );
    await eventually(
      () => said.filter((line) => line.startsWith("re-synthesized")),
      (lines) => lines.length > 0,
      60_000,
    );
    expect(said.find((line) => line.startsWith("re-synthesized"))).toMatch(
      /^re-synthesized: \+ unlinked /,
    );
  }, 120_000);

  it("keeps the previous model serving when the re-synthesis fails, and says why in one line", async () => {
    const { copy, environment, said, seen } = await start(["backtosource"], true);
    // A service folder whose handler does not bundle: the synthesis (its build) fails.
    const broken = await copy.add("backtosource", "broken", (handler) =>
      handler.replace("return { statusCode: 200", "return { statusCode: 200 +* "),
    );
    await eventually(
      () => said.filter((line) => line.startsWith("re-synthesis failed")),
      (lines) => lines.length > 0,
      60_000,
    );
    expect(broken).toContain("broken");
    const failure = said.find((line) => line.startsWith("re-synthesis failed")) ?? "";
    expect(failure).toMatch(/^re-synthesis failed, the previous model keeps serving: .+/);
    expect(failure).not.toContain("\n");
    const id = put(environment, "backtosource");
    await environment.settled();
    expect(answers(seen).get(id)).toBe("Hello Lambda");
    expect(environment.model.functions.map((fn) => fn.service?.id)).toEqual(["backtosource"]);
  }, 120_000);
});
