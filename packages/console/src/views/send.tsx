import { useState } from "preact/hooks";
import { postJson } from "../api";
import { JsonEditor, jsonProblem } from "../components/json-editor";
import type { Graph } from "../model";
import { href } from "../router";

interface Template {
  name: string;
  bus: string;
  source: string;
  detailType: string;
  detail: string;
}

const SEED_DETAIL = '{\n  "message": "Hello World"\n}';

/** The seed's detail-type, which services' own events use when their rule names none. */
const SEED_DETAIL_TYPE = "Details";

/**
 * One template per service's own rule: its bus and source (the pattern's first values), its
 * detail-type or the seed's, with the seed's sample detail, which every service's tests use.
 * Subscriptions (rules on another service's results, source "lambda") get none: Lambda puts
 * those events, not clients.
 */
function templates(graph: Graph | undefined): Template[] {
  if (!graph) return [];
  return graph.edges.flatMap((edge) => {
    const rule = graph.nodes.find((n) => n.id === edge.from && n.kind === "rule");
    const fn = graph.nodes.find((n) => n.id === edge.to && n.kind === "function");
    if (!rule || !fn) return [];
    const pattern = rule.details.pattern as { source?: unknown[]; "detail-type"?: unknown[] };
    const first = (values: unknown[] | undefined) =>
      typeof values?.[0] === "string" ? values[0] : undefined;
    const source = first(pattern.source);
    if (!source || source === "lambda") return [];
    return [
      {
        name: fn.label,
        bus: String(rule.details.bus),
        source,
        detailType: first(pattern["detail-type"]) ?? SEED_DETAIL_TYPE,
        detail: SEED_DETAIL,
      },
    ];
  });
}

export function SendView({ graph }: { graph: Graph | undefined }) {
  const buses = graph?.nodes.filter((n) => n.kind === "bus").map((n) => n.label) ?? [];
  const [bus, setBus] = useState("");
  const [source, setSource] = useState("");
  const [detailType, setDetailType] = useState("");
  const [detail, setDetail] = useState(SEED_DETAIL);
  const [error, setError] = useState<string>();
  const [sending, setSending] = useState(false);
  const chosenBus = bus || buses[0] || "";
  const invalid = jsonProblem(detail) !== undefined;
  const send = async (event: Event) => {
    event.preventDefault();
    if (invalid) return;
    setSending(true);
    setError(undefined);
    try {
      const { eventId } = await postJson<{ eventId: string }>("/_console/send", {
        bus: chosenBus,
        source,
        detailType,
        detail,
      });
      location.hash = href("trace", eventId);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSending(false);
    }
  };
  return (
    <section aria-labelledby="send-title" class="send">
      <h2 id="send-title">Send an event</h2>
      <form onSubmit={send} class="stacked">
        <label>
          Template
          <select
            onChange={(e) => {
              const template = templates(graph)[Number(e.currentTarget.value)];
              if (!template) return;
              setBus(template.bus);
              setSource(template.source);
              setDetailType(template.detailType);
              setDetail(template.detail);
            }}
          >
            <option value="">(choose)</option>
            {templates(graph).map((template, index) => (
              <option key={template.name} value={index}>
                {template.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Bus
          <select value={chosenBus} onChange={(e) => setBus(e.currentTarget.value)}>
            {buses.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          Source <input value={source} onInput={(e) => setSource(e.currentTarget.value)} />
        </label>
        <label>
          Detail type{" "}
          <input value={detailType} onInput={(e) => setDetailType(e.currentTarget.value)} />
        </label>
        <JsonEditor label="Detail (JSON)" value={detail} onInput={setDetail} />
        {error && (
          <p role="alert" class="error">
            PutEvents refused it: {error}
          </p>
        )}
        <button type="submit" disabled={invalid || sending}>
          Put event
        </button>
      </form>
      <Sandbox buses={buses} />
    </section>
  );
}

interface SandboxResult {
  results: {
    eventId?: string;
    bus?: string;
    matches: boolean;
    failures: { path: string; condition: unknown; actual: unknown; reason: string }[];
  }[];
}

function Sandbox({ buses }: { buses: string[] }) {
  const [pattern, setPattern] = useState('{\n  "source": ["backtosource"]\n}');
  const [event, setEvent] = useState("");
  const [bus, setBus] = useState("");
  const [last, setLast] = useState(20);
  const [answer, setAnswer] = useState<SandboxResult>();
  const [error, setError] = useState<string>();
  const invalid =
    jsonProblem(pattern) !== undefined || (event.trim() !== "" && jsonProblem(event) !== undefined);
  return (
    <section aria-labelledby="sandbox-title">
      <h2 id="sandbox-title">Pattern sandbox</h2>
      <form
        class="stacked"
        onSubmit={async (e) => {
          e.preventDefault();
          if (invalid) return;
          setError(undefined);
          setAnswer(undefined);
          try {
            setAnswer(
              await postJson<SandboxResult>("/_console/sandbox", { pattern, event, bus, last }),
            );
          } catch (failure) {
            setError((failure as Error).message);
          }
        }}
      >
        <JsonEditor label="Event pattern (JSON)" value={pattern} onInput={setPattern} />
        <JsonEditor
          label="Event (JSON; empty: the bus's last events)"
          value={event}
          onInput={setEvent}
          optional
          rows={5}
        />
        <label>
          Bus
          <select
            aria-label="Bus of the last events"
            value={bus}
            onChange={(e) => setBus(e.currentTarget.value)}
          >
            <option value="">any</option>
            {buses.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          Last events{" "}
          <input
            type="number"
            min={1}
            max={500}
            value={last}
            onInput={(e) => setLast(Number(e.currentTarget.value))}
          />
        </label>
        <button type="submit" disabled={invalid}>
          Test pattern
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {answer && (
        <ul class="why" data-testid="sandbox-results">
          {answer.results.length === 0 && <li>No events to test.</li>}
          {answer.results.map((result, index) => (
            <li key={result.eventId ?? index} class={result.matches ? "ok" : "failed"}>
              {result.eventId ? (
                <a href={href("trace", result.eventId)}>{result.eventId}</a>
              ) : (
                "the pasted event"
              )}
              {result.bus ? ` on ${result.bus}` : ""}: {result.matches ? "matches" : "no match"}
              {result.failures.map((f, index) => (
                <p key={`${f.path}#${index}`} class="failure" title={f.reason}>
                  field <code>{f.path || "(root)"}</code> is{" "}
                  <code>{f.actual === undefined ? "absent" : JSON.stringify(f.actual)}</code>; the
                  pattern wants <code>{JSON.stringify(f.condition)}</code>
                </p>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
