import { useEffect, useState } from "preact/hooks";
import type { Entry } from "./model";

export type ConnectionState = "connecting" | "live" | "disconnected";

/** Most entries the page keeps; older ones are dropped (the server's log keeps them for traces). */
const KEEP = 50_000;

/**
 * The event log as the page sees it: history, then live entries over Server-Sent Events.
 * EventSource reconnects by itself and resumes after the last entry (Last-Event-ID).
 */
export class LiveLog {
  entries: Entry[] = [];
  state: ConnectionState = "connecting";
  /** Bumped on every change; views re-render on it. */
  version = 0;
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  private source?: EventSource;

  connect(): void {
    const source = new EventSource("/_console/stream");
    this.source = source;
    source.onopen = () => this.setState("live");
    source.onerror = () =>
      this.setState(source.readyState === EventSource.CLOSED ? "disconnected" : "disconnected");
    source.onmessage = (message: MessageEvent<string>) => {
      const entry = JSON.parse(message.data) as Entry;
      const last = this.entries[this.entries.length - 1];
      if (last && entry.seq <= last.seq) return;
      this.entries.push(entry);
      if (this.entries.length > KEEP * 1.1) this.entries = this.entries.slice(-KEEP);
      this.changed();
    };
  }

  close(): void {
    this.source?.close();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.changed();
  }

  /** Coalesces bursts into one render per frame. */
  private changed(): void {
    this.version += 1;
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}

export const liveLog = new LiveLog();

/** Re-renders the component when the log changes; returns the log. */
export function useLiveLog(): LiveLog {
  const [, setVersion] = useState(0);
  useEffect(() => liveLog.subscribe(() => setVersion(liveLog.version)), []);
  return liveLog;
}
