import { useMemo, useState } from "preact/hooks";
import { VirtualList } from "../components/virtual-list";
import { useLiveLog } from "../live-log";
import type { Entry, Graph } from "../model";
import { href } from "../router";

type LogLine = Extract<Entry, { kind: "log" }>;

/** Each service's runtime output, live; a line links to the trace of the event its invocation handled. */
export function LogsView({ graph }: { graph: Graph | undefined }) {
  const log = useLiveLog();
  const [service, setService] = useState("");
  const [text, setText] = useState("");
  const services = graph?.nodes.filter((n) => n.kind === "function").map((n) => n.label) ?? [];
  const needle = text.trim().toLowerCase();
  // Which event each asynchronous invocation handled: its attempts say so.
  const eventOfRequest = useMemo(() => {
    const map = new Map<string, string>();
    for (const entry of log.entries) {
      if (entry.kind === "invocation" && entry.eventId) map.set(entry.requestId, entry.eventId);
    }
    return map;
  }, [log.version]);
  const lines = log.entries.filter(
    (e): e is LogLine =>
      e.kind === "log" &&
      (!service || e.service === service) &&
      (!needle || e.line.toLowerCase().includes(needle)),
  );
  return (
    <section class="timeline" aria-labelledby="logs-title">
      <h2 id="logs-title">Logs</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Service
          <select value={service} onChange={(e) => setService(e.currentTarget.value)}>
            <option value="">all</option>
            {services.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          Text <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <span class="count">{lines.length} lines</span>
      </form>
      <VirtualList
        items={lines}
        rowHeight={24}
        label="Log lines"
        render={(line) => {
          const eventId = line.requestId ? eventOfRequest.get(line.requestId) : undefined;
          return (
            <>
              <span class="service">{line.service}</span>
              <span class="line">
                {eventId ? (
                  <a href={href("trace", eventId)} title="Trace the event this invocation handled">
                    {line.line}
                  </a>
                ) : (
                  line.line
                )}
              </span>
            </>
          );
        }}
      />
    </section>
  );
}
