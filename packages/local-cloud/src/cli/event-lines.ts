import { functionArnOf, type LocalModel, parseArn } from "@ebsvc/cloud-assembly";
import { RESULT_SOURCE } from "@ebsvc/service-contract";
import type { BusEvent } from "../bus-event.js";
import type { Observation } from "../engine/observations.js";

/** The JSON line for a bus event or queue message: one object, nothing else. */
export function jsonLine(observation: Observation): string | undefined {
  switch (observation.kind) {
    case "bus":
      return JSON.stringify({ bus: observation.bus, event: observation.event });
    case "queue":
      return JSON.stringify({ queue: observation.queue, ...queueMessage(observation) });
    default:
      // Matches, invocations, log lines and destinations are the event log's, not stdout's.
      return undefined;
  }
}

/** A queue message as the JSON lines show it: the body parsed, attributes as plain strings. */
export function queueMessage(observation: Extract<Observation, { kind: "queue" }>) {
  return {
    message: parseBody(observation.body),
    attributes: Object.fromEntries(
      Object.entries(observation.attributes).map(([name, value]) => [name, value.StringValue]),
    ),
  };
}

/**
 * One readable line per bus event or queue message, e.g.
 * `15:37:14.621  source_bus  ← backtosource  Details  {"message":"Hello World"}`.
 */
export function readableLine(
  observation: Observation,
  model: LocalModel,
  nowMs = Date.now(),
): string | undefined {
  const time = new Date(nowMs).toISOString().slice(11, 23);
  switch (observation.kind) {
    case "bus":
      return `${time}  ${observation.bus}  ← ${describeEvent(observation.event, model)}`;
    case "queue":
      return `${time}  ${serviceQueueName(observation.queue, model)}  ← ${describeMessage(observation, model)}`;
    case "notice":
      return `${time}  note: ${observation.message}`;
    default:
      return undefined;
  }
}

function describeEvent(event: BusEvent, model: LocalModel): string {
  const record = asRecord(event.detail);
  if (event.source === RESULT_SOURCE && record) {
    const who = serviceOf(record.requestContext.functionArn, model);
    return `lambda  ${event["detail-type"]}  from ${who}: ${compact(record.responsePayload)}`;
  }
  return `${event.source}  ${event["detail-type"]}  ${compact(event.detail)}`;
}

function describeMessage(
  observation: Extract<Observation, { kind: "queue" }>,
  model: LocalModel,
): string {
  const body = parseBody(observation.body);
  const record = asRecord(body);
  if (record) {
    const { condition, approximateInvokeCount, functionArn } = record.requestContext;
    return `${condition} for ${serviceOf(functionArn, model)} after ${approximateInvokeCount} invocation(s): ${compact(record.responsePayload)}`;
  }
  const code = observation.attributes.ERROR_CODE?.StringValue;
  if (code !== undefined) {
    const message = observation.attributes.ERROR_MESSAGE?.StringValue;
    return `undeliverable event ${(body as BusEvent).id}: ${code}: ${message}`;
  }
  return compact(body);
}

/** Names a function by its service id when the assembly says which service it is. */
function serviceOf(functionArn: string, model: LocalModel): string {
  const unqualified = functionArnOf(functionArn);
  // Lambda's resource part is function:<name>[:<qualifier>].
  const qualifier = parseArn(functionArn)?.resource.split(":")[2];
  const fn = model.functions.find((candidate) => candidate.arn === unqualified);
  const name = fn?.service?.id ?? fn?.name ?? functionArn;
  return qualifier ? `${name}:${qualifier}` : name;
}

/** A queue that is a service's failure destination is shown as `<service id> dead-letter queue`. */
function serviceQueueName(queue: string, model: LocalModel): string {
  const arn = model.queues.find((candidate) => candidate.name === queue)?.arn;
  const config = model.invokeConfigs.find((candidate) => candidate.onFailure === arn);
  const fn = model.functions.find((candidate) => candidate.name === config?.functionName);
  return fn?.service ? `${fn.service.id} dead-letter queue` : queue;
}

interface RecordShape {
  requestContext: { functionArn: string; condition: string; approximateInvokeCount: number };
  responsePayload?: unknown;
}

function asRecord(value: unknown): RecordShape | undefined {
  const context = (value as { requestContext?: Partial<RecordShape["requestContext"]> } | null)
    ?.requestContext;
  return typeof context?.functionArn === "string" && typeof context.condition === "string"
    ? (value as RecordShape)
    : undefined;
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

const MAX_SHOWN = 160;

function compact(value: unknown): string {
  const text = value === undefined ? "(no payload)" : JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
