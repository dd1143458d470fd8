import type { LocalModel } from "@ebsvc/cloud-assembly";

export interface GraphNode {
  readonly id: string;
  readonly kind: "bus" | "rule" | "function" | "queue";
  readonly label: string;
  /** What a click shows: a rule's pattern, a function's settings, a queue's. */
  readonly details: Record<string, unknown>;
}

export interface GraphEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface ArchitectureGraph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

/** The function a target or destination ARN names (unqualified, or with an alias/version). */
export function functionOf(model: LocalModel, arn: string) {
  return model.functions.find((fn) => arn === fn.arn || arn.startsWith(`${fn.arn}:`));
}

export const edgeId = (from: string, to: string) => `${from} -> ${to}`;

/** The app as a graph: buses, their rules, the rules' targets, and destinations. */
export function architectureGraph(model: LocalModel): ArchitectureGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const ids = new Set<string>();
  const edge = (from: string, to: string, label: string) => {
    if (ids.has(from) && ids.has(to)) edges.push({ id: edgeId(from, to), from, to, label });
  };
  for (const bus of model.buses) {
    ids.add(bus.arn);
    nodes.push({ id: bus.arn, kind: "bus", label: bus.name, details: { arn: bus.arn } });
  }
  for (const queue of model.queues) {
    ids.add(queue.arn);
    nodes.push({
      id: queue.arn,
      kind: "queue",
      label: queue.name,
      details: {
        arn: queue.arn,
        retentionSeconds: queue.retentionSeconds,
        visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      },
    });
  }
  for (const fn of model.functions) {
    ids.add(fn.arn);
    const config = model.invokeConfigs.find((c) => c.functionName === fn.name);
    nodes.push({
      id: fn.arn,
      kind: "function",
      label: fn.service?.id ?? fn.name,
      details: {
        service: fn.service?.id,
        name: fn.name,
        arn: fn.arn,
        timeoutSeconds: fn.timeoutSeconds,
        memorySize: fn.memorySize,
        maximumRetryAttempts: config?.maximumRetryAttempts,
        maximumEventAgeSeconds: config?.maximumEventAgeSeconds,
        onSuccess: config?.onSuccess,
        onFailure: config?.onFailure,
      },
    });
  }
  for (const rule of model.rules) {
    ids.add(rule.arn);
    nodes.push({
      id: rule.arn,
      kind: "rule",
      label: shortRuleName(rule.name),
      details: { name: rule.name, bus: rule.busName, enabled: rule.enabled, pattern: rule.pattern },
    });
    const bus = model.buses.find((b) => b.name === rule.busName);
    if (bus) edge(bus.arn, rule.arn, "");
    for (const target of rule.targets) {
      edge(rule.arn, functionOf(model, target.arn)?.arn ?? target.arn, "");
      if (target.deadLetterArn) edge(rule.arn, target.deadLetterArn, "undeliverable");
    }
  }
  for (const config of model.invokeConfigs) {
    const fn = model.functions.find((f) => f.name === config.functionName);
    if (!fn) continue;
    if (config.onSuccess) edge(fn.arn, config.onSuccess, "on success");
    if (config.onFailure) edge(fn.arn, config.onFailure, "on failure");
  }
  return { nodes, edges };
}

/** `Stack--backtosourceRule2F7D432D-JZCOVXTAOVF4` as `backtosourceRule2F7D432D`: the stack and CloudFormation's suffix add nothing in a picture of one app. */
function shortRuleName(name: string): string {
  return name.replace(/^[\w-]*?--/, "").replace(/-[A-Z0-9]{8,}$/, "");
}
