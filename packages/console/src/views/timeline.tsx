import { useMemo, useState } from "preact/hooks";
import { VirtualList } from "../components/virtual-list";
import { serviceOf } from "../graph";
import { useLiveLog } from "../live-log";
import { type Entry, type Graph, recordOf } from "../model";
import { href } from "../router";

/** A timeline row: the fields the filters look at. */
export interface Row {
  entry: Entry;
  kind: string;
  bus: string;
  source: string;
  detailType: string;
  service: string;
  outcome: string;
  eventId: string;
  text: string;
}

const EMPTY = { bus: "", source: "", detailType: "", service: "", outcome: "", eventId: "" };

/** A row for bus events, finished invocation attempts, queue messages and notices; none for the rest. */
function toRow(entry: Entry, graph: Graph | undefined): Row | undefined {
  switch (entry.kind) {
    case "bus": {
      const { event } = entry;
      const record = recordOf(entry);
      return {
        ...EMPTY,
        entry,
        kind: record ? "result" : "event",
        bus: entry.bus,
        source: event.source,
        detailType: event["detail-type"],
        service: serviceOf(graph, record?.requestContext?.functionArn) ?? "",
        outcome: record?.requestContext?.condition ?? "",
        eventId: event.id,
        text: JSON.stringify(event.detail),
      };
    }
    case "invocation":
      if (entry.phase !== "end") return undefined;
      return {
        ...EMPTY,
        entry,
        kind: "invocation",
        service: entry.service,
        outcome: entry.outcome ?? "",
        eventId: entry.eventId ?? "",
        text: `${entry.requestId} ${entry.error?.errorType ?? ""} ${entry.error?.errorMessage ?? ""}`,
      };
    case "queue": {
      const record = recordOf(entry);
      return {
        ...EMPTY,
        entry,
        kind: "queue",
        service: serviceOf(graph, record?.requestContext?.functionArn) ?? "",
        outcome: record?.requestContext?.condition ?? "message",
        eventId: entry.eventId ?? "",
        text: `${entry.queue} ${entry.body}`,
      };
    }
    case "notice":
      return { ...EMPTY, entry, kind: "notice", text: entry.message };
    default:
      return undefined;
  }
}

function describe(row: Row): string {
  const { entry } = row;
  switch (entry.kind) {
    case "bus":
      return row.kind === "event"
        ? `${row.source} · ${row.detailType}`
        : `${row.service} · ${row.outcome}`;
    case "invocation":
      return `${entry.service} attempt ${entry.attempt} · ${entry.outcome} · ${entry.durationMs} ms${
        entry.error ? ` · ${entry.error.errorType}: ${entry.error.errorMessage}` : ""
      }${entry.retryInSeconds !== undefined ? ` · retry in ${entry.retryInSeconds} s` : ""}`;
    case "queue":
      return `${entry.queue} ← ${row.service || "message"} · ${row.outcome}`;
    default:
      return row.text;
  }
}

const FILTERS = [
  ["bus", "Bus"],
  ["source", "Source"],
  ["detailType", "Detail type"],
  ["service", "Service"],
  ["outcome", "Outcome"],
] as const;

type Filters = Record<(typeof FILTERS)[number][0], string>;

export function TimelineView({ graph }: { graph: Graph | undefined }) {
  const log = useLiveLog();
  const [filters, setFilters] = useState<Filters>({
    bus: "",
    source: "",
    detailType: "",
    service: "",
    outcome: "",
  });
  const [text, setText] = useState("");
  // Rows are derived once per entry and kept, so a new entry costs one row, not a re-scan.
  const rows = useMemo(
    () => ({ seen: 0, list: [] as Row[], matches: new Map<string, number>() }),
    [graph],
  );
  for (; rows.seen < log.entries.length; rows.seen++) {
    const entry = log.entries[rows.seen] as Entry;
    if (entry.kind === "match")
      rows.matches.set(entry.eventId, (rows.matches.get(entry.eventId) ?? 0) + 1);
    const row = toRow(entry, graph);
    if (row) rows.list.push(row);
  }
  const options = useMemo(() => {
    const values = Object.fromEntries(FILTERS.map(([key]) => [key, new Set<string>()])) as Record<
      keyof Filters,
      Set<string>
    >;
    for (const row of rows.list)
      for (const [key] of FILTERS) if (row[key]) values[key].add(row[key]);
    return values;
  }, [rows.list.length]);
  const needle = text.trim().toLowerCase();
  const shown = useMemo(
    () =>
      rows.list.filter(
        (row) =>
          FILTERS.every(([key]) => !filters[key] || row[key] === filters[key]) &&
          (!needle ||
            `${row.eventId} ${row.source} ${row.detailType} ${row.text}`
              .toLowerCase()
              .includes(needle)),
      ),
    [rows.list.length, filters, needle],
  );
  return (
    <section class="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        {FILTERS.map(([key, label]) => (
          <label key={key}>
            {label}
            <select
              value={filters[key]}
              onChange={(event) => setFilters({ ...filters, [key]: event.currentTarget.value })}
            >
              <option value="">all</option>
              {[...options[key]].sort().map((value) => (
                <option key={value} value={value}>
                  {value}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label>
          Text
          <input
            type="search"
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
            placeholder="EventId, detail…"
          />
        </label>
        <span class="count" data-testid="timeline-count">
          {shown.length} of {rows.list.length}
        </span>
      </form>
      <VirtualList
        items={shown}
        rowHeight={30}
        label="Timeline entries"
        render={(row) => <TimelineRow row={row} matches={rows.matches.get(row.eventId) ?? 0} />}
      />
    </section>
  );
}

function TimelineRow({ row, matches }: { row: Row; matches: number }) {
  const time = new Date(row.entry.at).toISOString().slice(11, 23);
  const failed =
    row.outcome !== "" &&
    row.outcome !== "success" &&
    row.outcome !== "Success" &&
    row.outcome !== "message";
  return (
    <>
      <span class="time">{time}</span>
      <span class={`kind kind-${row.kind}${failed ? " failed" : ""}`}>{row.kind}</span>
      <span class="bus">{row.bus}</span>
      <span class="what">{describe(row)}</span>
      <span class="event-id">
        {row.eventId && (
          <a href={href("trace", row.eventId)} data-event-id={row.eventId} title="Trace this event">
            {row.eventId}
          </a>
        )}
      </span>
      <span class="matched">
        {row.entry.kind === "bus" && (
          <a href={href("why", row.eventId)} title="Which rules matched, and why not">
            {matches} rule{matches === 1 ? "" : "s"}
          </a>
        )}
      </span>
    </>
  );
}
