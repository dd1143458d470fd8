import dagre from "@dagrejs/dagre";
import { useEffect, useMemo, useState } from "preact/hooks";
import { getJson } from "../api";
import { useLiveLog } from "../live-log";
import { type Graph, type GraphNode, recordOf } from "../model";
import { href } from "../router";

const NODE_WIDTH = 190;
const NODE_HEIGHT = 44;
/** How long an edge stays highlighted after an event crosses it. */
const HOT_MS = 1500;

interface Layout {
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number }>;
  edges: Map<string, { x: number; y: number }[]>;
}

function layout(graph: Graph): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 90, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.from, edge.to, {}, edge.id);
  dagre.layout(g);
  const nodes = new Map<string, { x: number; y: number }>();
  for (const id of g.nodes()) {
    const node = g.node(id);
    nodes.set(id, { x: node.x, y: node.y });
  }
  const edges = new Map<string, { x: number; y: number }[]>();
  for (const e of g.edges()) edges.set(e.name ?? `${e.v} -> ${e.w}`, g.edge(e).points ?? []);
  const size = g.graph();
  return { width: size.width ?? 800, height: size.height ?? 600, nodes, edges };
}

/** The synthesized app as a graph; edges count the events that crossed them and glow when one does. */
export function ArchitectureView({ graph }: { graph: Graph | undefined }) {
  const log = useLiveLog();
  const [selected, setSelected] = useState<GraphNode>();
  const [depths, setDepths] = useState<Record<string, number>>({});
  const [now, setNow] = useState(Date.now());
  const drawn = useMemo(() => (graph ? layout(graph) : undefined), [graph]);
  const counts = useMemo(() => {
    const count = new Map<string, number>();
    const last = new Map<string, number>();
    for (const entry of log.entries) {
      for (const edge of entry.edges ?? []) {
        count.set(edge, (count.get(edge) ?? 0) + 1);
        last.set(edge, entry.at);
      }
    }
    return { count, last };
  }, [log.version]);
  const queueMessages = log.entries.filter((e) => e.kind === "queue").length;
  useEffect(() => {
    getJson<Record<string, number>>("/_console/queue-depths").then(setDepths, () => {});
  }, [queueMessages]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, []);
  if (!graph || !drawn) return <p>Loading the app's architecture…</p>;
  return (
    <section class="architecture" aria-labelledby="architecture-title">
      <h2 id="architecture-title">Architecture</h2>
      <div class="architecture-body">
        <div class="diagram">
          <svg
            viewBox={`0 0 ${drawn.width} ${drawn.height}`}
            width={drawn.width}
            height={drawn.height}
            role="img"
            aria-label="The app's buses, rules, services and queues"
          >
            <defs>
              <marker
                id="arrow"
                viewBox="0 0 10 10"
                refX="10"
                refY="5"
                markerWidth="6"
                markerHeight="6"
                orient="auto-start-reverse"
              >
                <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
              </marker>
            </defs>
            {graph.edges.map((edge) => {
              const points = drawn.edges.get(edge.id) ?? [];
              if (points.length === 0) return null;
              const d = points.map((p, i) => `${i === 0 ? "M" : "L"} ${p.x} ${p.y}`).join(" ");
              const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
              const count = counts.count.get(edge.id) ?? 0;
              const hot = now - (counts.last.get(edge.id) ?? 0) < HOT_MS;
              return (
                <g key={edge.id} class={`edge${hot ? " hot" : ""}`} data-edge={edge.id}>
                  <path d={d} marker-end="url(#arrow)" />
                  {(count > 0 || edge.label) && (
                    <text x={middle.x} y={middle.y - 4} text-anchor="middle" class="edge-label">
                      {[edge.label, count > 0 ? `${count}` : ""].filter(Boolean).join(" · ")}
                    </text>
                  )}
                </g>
              );
            })}
            {graph.nodes.map((node) => {
              const at = drawn.nodes.get(node.id);
              if (!at) return null;
              const depth = node.kind === "queue" ? (depths[node.id] ?? 0) : 0;
              return (
                // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>
                <g
                  key={node.id}
                  class={`node node-${node.kind}${depth > 0 ? " has-letters" : ""}${selected?.id === node.id ? " selected" : ""}`}
                  transform={`translate(${at.x - NODE_WIDTH / 2} ${at.y - NODE_HEIGHT / 2})`}
                  role="button"
                  tabindex={0}
                  aria-label={`${node.kind} ${node.label}${depth > 0 ? `, ${depth} dead letters` : ""}`}
                  onClick={() => setSelected(node)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" || e.key === " ") {
                      e.preventDefault();
                      setSelected(node);
                    }
                  }}
                >
                  <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={node.kind === "bus" ? 22 : 6} />
                  <text x={10} y={17} class="node-kind">
                    {node.kind}
                    {depth > 0 ? ` · ${depth} letter${depth === 1 ? "" : "s"}` : ""}
                  </text>
                  <text x={10} y={34} class="node-label">
                    {node.label.length > 26 ? `${node.label.slice(0, 25)}…` : node.label}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
        <aside class="details" aria-live="polite" aria-label="Details">
          {selected ? (
            <NodeDetails node={selected} graph={graph} />
          ) : (
            <p>Select a node for its details.</p>
          )}
        </aside>
      </div>
    </section>
  );
}

function NodeDetails({ node, graph }: { node: GraphNode; graph: Graph }) {
  const log = useLiveLog();
  const invocations =
    node.kind === "function"
      ? log.entries
          .filter((entry) => {
            const arn = recordOf(entry)?.requestContext?.functionArn;
            return arn !== undefined && (arn === node.id || arn.startsWith(`${node.id}:`));
          })
          .slice(-10)
          .reverse()
      : [];
  return (
    <div data-testid="node-details">
      <h3>
        {node.kind} {node.label}
      </h3>
      {node.kind === "rule" && (
        <>
          <h4>Pattern</h4>
          <pre>{JSON.stringify(node.details.pattern, null, 2)}</pre>
          <p>on bus {String(node.details.bus)}</p>
        </>
      )}
      <dl>
        {Object.entries(node.details)
          .filter(([key, value]) => key !== "pattern" && value !== undefined)
          .map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{typeof value === "string" ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
      </dl>
      {node.kind === "function" && (
        <>
          <h4>Recent invocations</h4>
          {invocations.length === 0 && <p>None yet.</p>}
          <ul>
            {invocations.map((entry) => {
              const record = recordOf(entry);
              const eventId = record?.requestPayload?.id;
              return (
                <li key={entry.seq}>
                  {new Date(entry.at).toLocaleTimeString()} {record?.requestContext?.condition} (
                  {record?.requestContext?.approximateInvokeCount} attempt(s))
                  {eventId && (
                    <>
                      {" "}
                      <a href={href("trace", eventId)}>trace</a>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      {graph.edges.length === 0 && <p>No connections.</p>}
    </div>
  );
}
