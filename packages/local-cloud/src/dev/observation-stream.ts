import type { ServerResponse } from "node:http";
import type { Observation } from "../engine/observations.js";

/** What the stream carries: the environment's observations, and "idle" when all has settled. */
export type StreamMessage = Observation | { readonly kind: "idle" };

/**
 * The running environment's observations as Server-Sent Events (`GET /_local/stream`), for
 * `pnpm send` to follow what its event causes. After each burst of activity it sends
 * `{"kind":"idle"}` once nothing is in flight any more.
 */
export class ObservationStream {
  private readonly clients = new Set<ServerResponse>();
  private idleArmed = false;

  constructor(private readonly settled: () => Promise<void>) {}

  /** Takes an HTTP response and keeps it open, streaming every message from now on. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
    });
    // The comment tells the client it is subscribed: what happens from now on reaches it.
    res.write(": ready\n\n");
    this.clients.add(res);
    res.once("close", () => this.clients.delete(res));
  }

  publish(observation: Observation): void {
    if (this.clients.size === 0) return;
    this.send(observation);
    if (this.idleArmed) return;
    this.idleArmed = true;
    // The observation is reported before the work it starts is counted: look next turn.
    setImmediate(() => {
      void this.settled().then(() => {
        this.idleArmed = false;
        this.send({ kind: "idle" });
      });
    });
  }

  close(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private send(message: StreamMessage): void {
    const frame = `data: ${JSON.stringify(message)}\n\n`;
    for (const res of this.clients) res.write(frame);
  }
}
