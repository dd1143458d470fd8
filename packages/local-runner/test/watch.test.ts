import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { bundleService } from "@ebsvc/service-image";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningService, runLocal } from "../src/run-local.js";
import { copyService } from "./service-copy.js";
import { freePort } from "./support.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });

async function invoke(service: RunningService): Promise<unknown> {
  const response = await fetch(`${service.url}/2015-03-31/functions/function/invocations`, {
    method: "POST",
    body: JSON.stringify({ message: "Hello World" }),
  });
  return response.json();
}

/** Polls until `check` passes (bounded), so a slow machine only makes it slower. */
async function eventually<T>(read: () => Promise<T> | T, check: (value: T) => boolean) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startCopy() {
  const copy = copyService("backtosource");
  cleanups.push(copy.remove);
  await bundleService(copy.dir);
  const messages: string[] = [];
  const service = await runLocal({
    serviceDir: copy.dir,
    port: await freePort(),
    mode: "host",
    output: quiet(),
    onReload: (message) => messages.push(message),
  });
  cleanups.push(() => service.stop());
  const handler = join(copy.dir, "src", "index.ts");
  const edit = (from: string, to: string) =>
    writeFileSync(handler, readFileSync(handler, "utf8").replace(from, to));
  return { service, messages, edit };
}

describe("run-local on the host watches src/", () => {
  it("re-bundles on save, and the next invocation runs the new code", async () => {
    const { service, messages, edit } = await startCopy();
    expect(service.watching).toBe(true);
    expect(await invoke(service)).toEqual({ statusCode: 200, reponse: "Hello Lambda" });

    edit('reponse: "Hello Lambda"', 'reponse: "Hello again"');
    await eventually(
      () => invoke(service),
      (answer) => (answer as { reponse?: string }).reponse === "Hello again",
    );
    expect(messages.at(-1)).toMatch(/^reloaded backtosource \(bundle \d+ ms\)$/);
  }, 30_000);

  it("keeps serving the previous code on a bundle error, and says where in one line", async () => {
    const { service, messages, edit } = await startCopy();
    expect(await invoke(service)).toEqual({ statusCode: 200, reponse: "Hello Lambda" });

    edit("return { statusCode: 200", "return { statusCode: 200 +* ");
    const [failure] = await eventually(
      () => messages.filter((m) => m.includes("bundle failed")),
      (failures) => failures.length > 0,
    );
    expect(failure).toMatch(
      /^backtosource: bundle failed, the previous code keeps serving: src\/index\.ts:\d+:\d+: .+$/,
    );
    expect(failure).not.toContain("\n");
    expect(await invoke(service)).toEqual({ statusCode: 200, reponse: "Hello Lambda" });
  }, 30_000);

  it("reports a handler's error with a stack through the source map: src/ lines", async () => {
    const { service, messages, edit } = await startCopy();
    edit("parseEvent(event);", 'parseEvent(event);\n  throw new Error("boom");');
    await eventually(
      () => messages.filter((m) => m.startsWith("reloaded")),
      (reloads) => reloads.length > 0,
    );
    const answer = (await invoke(service)) as { errorMessage?: string; trace?: string[] };
    expect(answer.errorMessage).toBe("boom");
    expect(answer.trace?.[1]).toMatch(/src\/index\.ts:\d+:\d+\)?$/);
  }, 30_000);
});
