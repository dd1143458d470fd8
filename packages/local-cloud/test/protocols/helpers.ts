import { request } from "node:http";
import type { BusEvent } from "../../src/bus-event.js";
import type { EventsBackend, LocalBusHandle } from "../../src/events-backend.js";

export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

/** Settings for a real SDK client pointed at a local server. */
export function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: REGION,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
    // Every answer is asserted as given: no retries hiding a 500.
    maxAttempts: 1,
  };
}

/** Buses that keep what is put on them. */
export class FakeEventsBackend implements EventsBackend {
  readonly account = ACCOUNT;
  readonly region = REGION;
  readonly buses = new Map<string, LocalBusHandle & { events: BusEvent[] }>();

  constructor(...names: string[]) {
    for (const name of names) this.addBus(name);
  }

  addBus(name: string, put?: (event: BusEvent) => void) {
    const events: BusEvent[] = [];
    const bus = {
      name,
      arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`,
      events,
      put: put ?? ((event: BusEvent) => events.push(event)),
    };
    this.buses.set(name, bus);
    return bus;
  }

  findBus(nameOrArn: string): LocalBusHandle | undefined {
    return [...this.buses.values()].find((bus) => bus.name === nameOrArn || bus.arn === nameOrArn);
  }

  events(name: string): BusEvent[] {
    return this.buses.get(name)?.events ?? [];
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Record<string, unknown>;
}

/** A plain HTTP request, for what SDKs never send. */
export function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${options.path ?? "/"}`,
      { method: options.method ?? "POST", headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: () => JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** What a rejected SDK call threw, to assert its name and message. */
export async function sdkError(call: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail, it succeeded");
}
