import {
  eventBusNameOf,
  functionArnOf,
  type LocalModel,
  lambdaFunctionName,
  parseArn,
} from "@ebsvc/cloud-assembly";
import { RESULT_SOURCE, SUCCESS_DETAIL_TYPE } from "@ebsvc/service-contract";

/**
 * The app as a Mermaid flowchart: buses (cylinders), services (boxes), queues, and the arrows
 * between them: a rule's pattern from a bus to its target, a service's success and failure
 * destinations, a rule target's dead-letter queue. Names only, no account or region, and
 * rules and configs taken in a sorted order, so the same app always gives the same text.
 */
export function renderMermaid(model: LocalModel): string {
  const lines = ["flowchart LR"];
  const ids = new NodeIds();
  const functionLabel = new Map(
    model.functions.map((fn) => [fn.arn, fn.service?.id ?? fn.name] as const),
  );
  const queueLabel = (arn: string) => {
    const queue = model.queues.find((q) => q.arn === arn);
    const owner = model.invokeConfigs.find((config) => config.onFailure === arn);
    const fn = model.functions.find((f) => f.name === owner?.functionName);
    return fn?.service ? `${fn.service.id} DLQ` : (queue?.name ?? parseArn(arn)?.resource ?? arn);
  };
  const targetNode = (arn: string): string => {
    const unqualified = functionArnOf(arn);
    if (unqualified) {
      return ids.node(
        `fn:${unqualified}`,
        `[${quote(functionLabel.get(unqualified) ?? lambdaFunctionName(arn))}]`,
      );
    }
    const bus = eventBusNameOf(arn);
    if (bus) return ids.node(`bus:${bus}`, `[(${quote(bus)})]`);
    const parts = parseArn(arn);
    if (parts?.service === "sqs") return ids.node(`queue:${arn}`, `[[${quote(queueLabel(arn))}]]`);
    // Anything else by what it is, without account or region: `stateMachine:name`, a topic.
    return ids.node(`other:${arn}`, `>${quote(parts?.resource ?? arn)}]`);
  };

  const usedBuses = model.buses.filter(
    (bus) => bus.created || model.rules.some((rule) => rule.busName === bus.name),
  );
  for (const bus of sorted(usedBuses, (b) => b.name)) {
    ids.node(`bus:${bus.name}`, `[(${quote(bus.name)})]`);
  }
  const edges: string[] = [];
  for (const rule of sorted(model.rules, (r) => r.path)) {
    const bus = ids.node(`bus:${rule.busName}`, `[(${quote(rule.busName)})]`);
    for (const target of rule.targets) {
      const label = describePattern(rule.pattern, (arn) =>
        functionLabel.get(functionArnOf(arn) ?? arn),
      );
      edges.push(`${bus} -- ${quote(label)} --> ${targetNode(target.arn)}`);
      if (target.deadLetterArn) {
        edges.push(`${bus} -. undeliverable .-> ${targetNode(target.deadLetterArn)}`);
      }
    }
  }
  for (const config of sorted(model.invokeConfigs, (c) => c.functionName)) {
    const fn = model.functions.find((f) => f.name === config.functionName);
    if (!fn) continue;
    const from = targetNode(fn.arn);
    if (config.onSuccess) edges.push(`${from} -. success .-> ${targetNode(config.onSuccess)}`);
    if (config.onFailure) edges.push(`${from} -. failure .-> ${targetNode(config.onFailure)}`);
  }
  lines.push(...ids.declarations(), ...[...new Set(edges)].sort());
  return `${lines.join("\n  ")}\n`;
}

/**
 * A short reading of a rule's pattern: `source = orders`; `results of orders` for a
 * subscription to a service's success results (`serviceOf` names a function ARN's service);
 * else its compact JSON.
 */
export function describePattern(
  pattern: unknown,
  serviceOf: (functionArn: string) => string | undefined = () => undefined,
): string {
  const fields = (pattern ?? {}) as Record<string, unknown>;
  const resources = fields.resources;
  if (
    Object.keys(fields).sort().join() === "detail-type,resources,source" &&
    JSON.stringify(fields.source) === JSON.stringify([RESULT_SOURCE]) &&
    JSON.stringify(fields["detail-type"]) === JSON.stringify([SUCCESS_DETAIL_TYPE]) &&
    Array.isArray(resources) &&
    resources.every((arn) => typeof arn === "string" && serviceOf(arn) !== undefined)
  ) {
    return `results of ${resources.map((arn) => serviceOf(arn as string)).join(" | ")}`;
  }
  const entries = Object.entries(fields);
  const simple = entries.every(
    ([, values]) => Array.isArray(values) && values.every((v) => typeof v === "string"),
  );
  if (simple && entries.length > 0) {
    return entries
      .map(([field, values]) => `${field} = ${(values as string[]).join(" | ")}`)
      .join(", ");
  }
  const text = JSON.stringify(pattern);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** Mermaid node ids are made from a counter in sorted order of first use: stable text. */
class NodeIds {
  private readonly byKey = new Map<string, { id: string; shape: string }>();

  node(key: string, shape: string): string {
    const known = this.byKey.get(key);
    if (known) return known.id;
    const id = `n${this.byKey.size + 1}`;
    this.byKey.set(key, { id, shape });
    return id;
  }

  declarations(): string[] {
    return [...this.byKey.values()].map(({ id, shape }) => `${id}${shape}`);
  }
}

function sorted<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => key(a).localeCompare(key(b)));
}

/** Mermaid labels in double quotes, with quotes themselves as an entity. */
function quote(text: string): string {
  return `"${text.replaceAll('"', "#quot;")}"`;
}
