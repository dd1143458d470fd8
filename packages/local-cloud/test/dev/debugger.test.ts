import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { synthServicesApp } from "@ebsvc/test-fixtures";
import { afterEach, describe, expect, it } from "vitest";
import type { BusEvent } from "../../src/bus-event.js";
import type { Observation } from "../../src/engine/observations.js";
import { startEnvironment } from "../../src/environment.js";
import { putEvents } from "../../src/protocols/events-api.js";
import { eventually, quiet, ServicesCopy } from "./services-copy.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** A Chrome DevTools Protocol session over the inspector's WebSocket (Node's own client). */
class Cdp {
  private nextId = 1;
  private readonly pending = new Map<number, (message: CdpMessage) => void>();
  private readonly listeners: ((message: CdpMessage) => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id !== undefined) this.pending.get(message.id)?.(message);
      else for (const listener of this.listeners) listener(message);
    });
  }

  static async connect(url: string): Promise<Cdp> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.addEventListener("open", resolve, { once: true });
      socket.addEventListener("error", reject, { once: true });
    });
    return new Cdp(socket);
  }

  async send(method: string, params: object = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const answer = new Promise<CdpMessage>((resolve) => this.pending.set(id, resolve));
    this.socket.send(JSON.stringify({ id, method, params }));
    const message = await answer;
    if (message.error) throw new Error(`${method}: ${JSON.stringify(message.error)}`);
    return message.result ?? {};
  }

  next(method: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${method} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.listeners.push((message) => {
        if (message.method !== method) return;
        clearTimeout(timer);
        resolve(message.params ?? {});
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: unknown;
}

/** Where a line of src/index.ts starts in the bundle, by the bundle's source map. */
function generatedPosition(bundle: string, sourceLine: number) {
  const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")));
  const lines = readFileSync(bundle, "utf8").split("\n");
  for (const [line, text] of lines.entries()) {
    for (let column = 0; column < text.length; column++) {
      const entry = map.findEntry(line, column);
      if (
        "generatedColumn" in entry &&
        entry.generatedLine === line &&
        entry.generatedColumn === column &&
        entry.originalSource.endsWith("src/index.ts") &&
        entry.originalLine === sourceLine
      ) {
        return { lineNumber: line, columnNumber: column, map };
      }
    }
  }
  throw new Error(`no mapping for src/index.ts line ${sourceLine + 1}`);
}

describe("--inspect", () => {
  it("stops at a breakpoint set in src/index.ts, through the bundle's source map, and then answers", async () => {
    const copy = new ServicesCopy();
    cleanups.push(() => copy.remove());
    const directory = await copy.add("backtosource");
    const port = await freePort();
    const seen: Observation[] = [];
    const environment = await startEnvironment({
      assembly: synthServicesApp([directory]),
      observer: (observation) => seen.push(observation),
      functionLogs: quiet,
      inspect: { serviceId: "backtosource", port },
    });
    cleanups.push(() => environment.stop());

    // The runtime is up under the inspector before any event.
    const targets = await eventually(
      async () => {
        try {
          return (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
            webSocketDebuggerUrl: string;
          }[];
        } catch {
          return [];
        }
      },
      (list) => list.length > 0,
    );
    const cdp = await Cdp.connect(targets[0]?.webSocketDebuggerUrl ?? "");
    cleanups.push(() => cdp.close());

    const source = readFileSync(join(directory, "src", "index.ts"), "utf8").split("\n");
    const sourceLine = source.findIndex((line) => line.includes("return { statusCode: 200"));
    const bundle = join(directory, "dist", "index.mjs");
    const { lineNumber, columnNumber, map } = generatedPosition(bundle, sourceLine);
    await cdp.send("Debugger.enable");
    const breakpoint = await cdp.send("Debugger.setBreakpointByUrl", {
      url: pathToFileURL(bundle).href,
      lineNumber,
      columnNumber,
    });
    expect(breakpoint.locations).toHaveLength(1);

    const paused = cdp.next("Debugger.paused");
    const put = putEvents(
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
    const { callFrames, hitBreakpoints } = (await paused) as {
      callFrames: { location: { lineNumber: number; columnNumber: number } }[];
      hitBreakpoints: string[];
    };
    expect(hitBreakpoints).toEqual([breakpoint.breakpointId]);
    const where = callFrames[0]?.location;
    const original = map.findEntry(where?.lineNumber ?? -1, where?.columnNumber ?? -1);
    expect(original).toMatchObject({ originalLine: sourceLine });
    expect("originalSource" in original && original.originalSource).toMatch(/src\/index\.ts$/);

    // Held at the breakpoint, nothing answers; resumed, the success record follows.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const id = (put.Entries[0] as { EventId: string }).EventId;
    const result = () =>
      seen.find(
        (o): o is Extract<Observation, { kind: "bus" }> =>
          o.kind === "bus" &&
          (o.event.detail as { requestPayload?: BusEvent }).requestPayload?.id === id,
      );
    expect(result()).toBeUndefined();
    await cdp.send("Debugger.resume");
    await environment.settled();
    expect((result()?.event.detail as { responsePayload?: unknown })?.responsePayload).toEqual({
      statusCode: 200,
      reponse: "Hello Lambda",
    });
  }, 60_000);
});
