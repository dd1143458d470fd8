import { useEffect, useState } from "preact/hooks";
import { getJson } from "./api";
import type { Graph } from "./model";

let graph: Promise<Graph> | undefined;

/** The app's architecture, read once. */
export function useGraph(): Graph | undefined {
  const [value, setValue] = useState<Graph>();
  useEffect(() => {
    graph ??= getJson<Graph>("/_console/graph");
    graph.then(setValue, () => {
      graph = undefined;
    });
  }, []);
  return value;
}

/** A function's service name, from its (possibly qualified) ARN. */
export function serviceOf(
  graph: Graph | undefined,
  functionArn: string | undefined,
): string | undefined {
  if (!graph || !functionArn) return undefined;
  return graph.nodes.find(
    (node) =>
      node.kind === "function" &&
      (functionArn === node.id || functionArn.startsWith(`${node.id}:`)),
  )?.label;
}
