import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api";
import { serviceOf } from "../graph";
import { useLiveLog } from "../live-log";
import { type Entry, type Graph, recordOf } from "../model";
import { href } from "../router";

interface Trace {
  eventId: string;
  entries: Entry[];
}

/** The causal tree of one event, from the server's log, refreshed as the chain goes on. */
export function TraceView({ eventId, graph }: { eventId: string; graph: Graph | undefined }) {
  const log = useLiveLog();
  const [input, setInput] = useState(eventId);
  const [trace, setTrace] = useState<Trace>();
  const [error, setError] = useState<string>();
  useEffect(() => setInput(eventId), [eventId]);
  // Re-read when new entries arrive (at most a few times a second), so a running chain grows.
  const tick = Math.floor(log.version / 5);
  useEffect(() => {
    if (!eventId) return;
    getJson<Trace>(`/_console/trace?eventId=${encodeURIComponent(eventId)}`).then(
      (value) => {
        setTrace(value);
        setError(undefined);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [eventId, tick]);
  return (
    <section aria-labelledby="trace-title">
      <h2 id="trace-title">Trace</h2>
      <form
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          location.hash = href("trace", input.trim());
        }}
      >
        <label>
          EventId <input value={input} onInput={(e) => setInput(e.currentTarget.value)} size={40} />
        </label>
        <button type="submit">Trace</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!eventId && <p>Pick an event in the timeline, or paste its EventId.</p>}
      {trace && trace.eventId === eventId && <TraceTree trace={trace} graph={graph} />}
    </section>
  );
}

function TraceTree({ trace, graph }: { trace: Trace; graph: Graph | undefined }) {
  const root = trace.entries.find((e) => e.kind === "bus" && e.event.id === trace.eventId);
  if (root?.kind !== "bus") {
    return <p>No event {trace.eventId} in the log (it may have aged out).</p>;
  }
  return (
    <ol class="trace" data-testid="trace">
      <EventNode entry={root} entries={trace.entries} graph={graph} start={root.at} depth={0} />
    </ol>
  );
}

const since = (at: number, start: number) => `+${at - start} ms`;

function EventNode({
  entry,
  entries,
  graph,
  start,
  depth,
}: {
  entry: Extract<Entry, { kind: "bus" }>;
  entries: Entry[];
  graph: Graph | undefined;
  start: number;
  depth: number;
}) {
  const { event } = entry;
  const ruleNames = entry.matched.map(
    (arn) => graph?.nodes.find((n) => n.id === arn)?.label ?? arn,
  );
  const results = entries.filter(
    (e) => e !== entry && recordOf(e)?.requestPayload?.id === event.id,
  );
  return (
    <li class="trace-event">
      <div class="trace-line">
        <span class="badge">event</span> <code>{event.id}</code> on <strong>{entry.bus}</strong>:{" "}
        {event.source} · {event["detail-type"]} <span class="muted">{since(entry.at, start)}</span>{" "}
        <a href={href("why", event.id)}>why (not) matched</a>
      </div>
      <div class="trace-rules">
        rules matched: {ruleNames.length ? ruleNames.join(", ") : <em>none</em>}
      </div>
      {depth < 20 && results.length > 0 && (
        <ol>
          {results.map((result) => (
            <ResultNode
              key={result.seq}
              entry={result}
              entries={entries}
              graph={graph}
              start={start}
              depth={depth}
            />
          ))}
        </ol>
      )}
    </li>
  );
}

function ResultNode({
  entry,
  entries,
  graph,
  start,
  depth,
}: {
  entry: Entry;
  entries: Entry[];
  graph: Graph | undefined;
  start: number;
  depth: number;
}) {
  const record = recordOf(entry);
  const context = record?.requestContext;
  const service = serviceOf(graph, context?.functionArn) ?? context?.functionArn;
  const lines = entries.filter(
    (e) => e.kind === "log" && e.requestId && e.requestId === context?.requestId,
  );
  const ok = context?.condition === "Success";
  return (
    <li class={`trace-invocation ${ok ? "ok" : "failed"}`}>
      <div class="trace-line">
        <span class="badge">invocation</span> <strong>{service}</strong>:{" "}
        <span class="outcome" data-testid="outcome">
          {context?.condition}
        </span>{" "}
        after {context?.approximateInvokeCount} attempt(s){" "}
        <span class="muted">
          {since(entry.at, start)} · request {context?.requestId}
        </span>
      </div>
      <pre class="payload">{JSON.stringify(record?.responsePayload ?? null)}</pre>
      {lines.length > 0 && (
        <pre class="log-lines">
          {lines.map((line) => (line.kind === "log" ? `${line.line}\n` : ""))}
        </pre>
      )}
      {entry.kind === "bus" ? (
        <ol>
          <li class="trace-destination">
            <span class="badge">destination</span> → {entry.bus}
          </li>
          <EventNode
            entry={entry}
            entries={entries}
            graph={graph}
            start={start}
            depth={depth + 1}
          />
        </ol>
      ) : (
        entry.kind === "queue" && (
          <div class="trace-dlq">
            <span class="badge">dead letter</span> →{" "}
            <a href={href("dead-letters")}>{entry.queue}</a>
          </div>
        )
      )}
    </li>
  );
}
