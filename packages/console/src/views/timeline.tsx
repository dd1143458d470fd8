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

export function toRow(entry: Entry, graph: Graph | undefined): Row | undefined {
  if (entry.kind === "log") return undefined;
  const record = recordOf(entry);
  const service = serviceOf(graph, record?.requestContext?.functionArn) ?? "";
  const outcome = record?.requestContext?.condition ?? "";
  if (entry.kind === "bus") {
    const { event } = entry;
    return {
      entry,
      kind: record ? "result" : "event",
      bus: entry.bus,
      source: event.source,
      detailType: event["detail-type"],
      service,
      outcome,
      eventId: event.id,
      text: JSON.stringify(event.detail),
    };
  }
  if (entry.kind === "queue") {
    return {
      entry,
      kind: "dead letter",
      bus: "",
      source: "",
      detailType: "",
      service,
      outcome: outcome || "message",
      eventId: entry.causeEventId ?? "",
      text: `${entry.queue} ${entry.body}`,
    };
  }
  return {
    entry,
    kind: "notice",
    bus: "",
    source: "",
    detailType: "",
    service: "",
    outcome: "",
    eventId: "",
    text: entry.message,
  };
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
  const rows = useMemo(() => ({ seen: 0, list: [] as Row[] }), [graph]);
  for (; rows.seen < log.entries.length; rows.seen++) {
    const row = toRow(log.entries[rows.seen] as Entry, graph);
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
        render={(row) => <TimelineRow row={row} />}
      />
    </section>
  );
}

function TimelineRow({ row }: { row: Row }) {
  const time = new Date(row.entry.at).toISOString().slice(11, 23);
  return (
    <>
      <span class="time">{time}</span>
      <span class={`kind kind-${row.kind.replace(" ", "-")}`}>{row.kind}</span>
      <span class="bus">{row.bus || (row.entry.kind === "queue" ? row.entry.queue : "")}</span>
      <span class="what">
        {row.entry.kind === "notice"
          ? row.text
          : row.kind === "event"
            ? `${row.source} · ${row.detailType}`
            : `${row.service} · ${row.outcome}`}
      </span>
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
            {row.entry.matched.length} rule{row.entry.matched.length === 1 ? "" : "s"}
          </a>
        )}
      </span>
    </>
  );
}
