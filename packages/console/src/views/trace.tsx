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

type Of<K extends Entry["kind"]> = Extract<Entry, { kind: K }>;

function TraceTree({ trace, graph }: { trace: Trace; graph: Graph | undefined }) {
  const root = trace.entries.find(
    (e): e is Of<"bus"> => e.kind === "bus" && e.event.id === trace.eventId,
  );
  if (!root) return <p>No event {trace.eventId} in the log (it may have aged out).</p>;
  return (
    <ol class="trace" data-testid="trace">
      <EventNode entry={root} entries={trace.entries} graph={graph} start={root.at} depth={0} />
    </ol>
  );
}

const since = (at: number, start: number) => `+${at - start} ms`;

interface NodeProps<E> {
  entry: E;
  entries: Entry[];
  graph: Graph | undefined;
  start: number;
  depth: number;
}

function EventNode({ entry, entries, graph, start, depth }: NodeProps<Of<"bus">>) {
  const { event } = entry;
  const matches = entries.filter(
    (e): e is Of<"match"> => e.kind === "match" && e.eventId === event.id && e.seq > entry.seq,
  );
  const requests = [
    ...new Set(
      entries.flatMap((e) =>
        e.kind === "invocation" && e.eventId === event.id && e.seq > entry.seq ? [e.requestId] : [],
      ),
    ),
  ];
  const forwarded = entries.filter(
    (e): e is Of<"bus"> =>
      e.kind === "bus" &&
      e.seq > entry.seq &&
      e.cause?.eventId === event.id &&
      e.cause.ruleArn !== undefined,
  );
  const undeliverable = entries.filter(
    (e): e is Of<"queue"> =>
      e.kind === "queue" && e.eventId === event.id && e.requestId === undefined,
  );
  const record = recordOf(entry);
  return (
    <li class="trace-event" data-event-id={event.id}>
      <div class="trace-line">
        <span class="badge">event</span> <code>{event.id}</code> on <strong>{entry.bus}</strong>:{" "}
        {event.source} · {event["detail-type"]} <span class="muted">{since(entry.at, start)}</span>{" "}
        <a href={href("why", event.id)}>why (not) matched</a>
      </div>
      {record === undefined && <pre class="payload">{JSON.stringify(event.detail)}</pre>}
      <div class="trace-rules">
        rules matched:{" "}
        {matches.length
          ? matches
              .map(
                (m) =>
                  `${m.rule} → ${m.targets.map((t) => serviceOf(graph, t) ?? t.split(":").pop()).join(", ")}`,
              )
              .join("; ")
          : "none"}
      </div>
      {depth < 20 && (requests.length > 0 || forwarded.length > 0 || undeliverable.length > 0) && (
        <ol>
          {requests.map((requestId) => (
            <InvocationNode
              key={requestId}
              entry={requestId}
              entries={entries}
              graph={graph}
              start={start}
              depth={depth}
            />
          ))}
          {forwarded.map((next) => (
            <EventNode
              key={next.seq}
              entry={next}
              entries={entries}
              graph={graph}
              start={start}
              depth={depth + 1}
            />
          ))}
          {undeliverable.map((letter) => (
            <li key={letter.seq} class="trace-dlq">
              <span class="badge">dead letter</span> undeliverable →{" "}
              <a href={href("dead-letters")}>{letter.queue}</a>
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}

/** One asynchronous invocation: its attempts, what it printed, and where its result went. */
function InvocationNode({ entry: requestId, entries, graph, start, depth }: NodeProps<string>) {
  const attempts = entries.filter(
    (e): e is Of<"invocation"> => e.kind === "invocation" && e.requestId === requestId,
  );
  const ends = attempts.filter((a) => a.phase === "end");
  const lines = entries.filter(
    (e): e is Of<"log"> => e.kind === "log" && e.requestId === requestId,
  );
  const destinations = entries.filter(
    (e): e is Of<"destination"> => e.kind === "destination" && e.requestId === requestId,
  );
  const letters = entries.filter(
    (e): e is Of<"queue"> => e.kind === "queue" && e.requestId === requestId,
  );
  const service = attempts[0]?.service ?? "?";
  const last = ends[ends.length - 1];
  const condition = destinations[0]?.condition;
  const state =
    condition ??
    (last?.retryInSeconds !== undefined ? "retrying" : last ? last.outcome : "running");
  return (
    <li
      class={`trace-invocation ${condition === "Success" ? "ok" : condition ? "failed" : "pending"}`}
      data-service={service}
    >
      <div class="trace-line">
        <span class="badge">invocation</span> <strong>{service}</strong>:{" "}
        <span class="outcome" data-testid="outcome">
          {state}
        </span>{" "}
        after {ends.length} attempt(s) <span class="muted">request {requestId}</span>
      </div>
      <ul class="attempts">
        {ends.map((end) => (
          <li key={end.seq}>
            attempt {end.attempt}: {end.outcome}, {end.durationMs} ms
            {end.maxMemoryUsedMb !== undefined && `, ${end.maxMemoryUsedMb} MB`}{" "}
            <span class="muted">{since(end.at, start)}</span>
            {end.error && (
              <span class="error">
                {" "}
                {end.error.errorType}: {end.error.errorMessage}
              </span>
            )}
            {end.retryInSeconds !== undefined && (
              <span> · retried after {end.retryInSeconds} s (AWS time)</span>
            )}
          </li>
        ))}
      </ul>
      {lines.length > 0 && (
        <details class="log-lines">
          <summary>{lines.length} lines printed</summary>
          <pre>{lines.map((line) => `${line.line}\n`)}</pre>
        </details>
      )}
      {destinations.length > 0 && (
        <ol>
          {destinations.map((destination) => {
            const next = entries.find(
              (e): e is Of<"bus"> =>
                e.kind === "bus" &&
                destination.eventId !== undefined &&
                e.event.id === destination.eventId,
            );
            const letter = letters.find((l) => l.queueArn === destination.destinationArn);
            return (
              <li key={destination.seq} class="trace-destination">
                <span class="badge">destination</span> {destination.condition} →{" "}
                {letter ? (
                  <>
                    dead letter in <a href={href("dead-letters")}>{letter.queue}</a>
                  </>
                ) : (
                  destination.destinationArn.split(/[:/]/).pop()
                )}
                {!destination.delivered && <span class="error"> (not delivered)</span>}
                {next && (
                  <ol>
                    <EventNode
                      entry={next}
                      entries={entries}
                      graph={graph}
                      start={start}
                      depth={depth + 1}
                    />
                  </ol>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </li>
  );
}
