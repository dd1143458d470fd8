import { AssemblyError, type RuleModel, type TargetModel } from "@ebsvc/cloud-assembly";
import { JSONPath } from "jsonpath-plus";
import type { BusEvent } from "../bus-event.js";
import { DeliveryError } from "./delivery-error.js";

/**
 * What a target gets instead of the event: the text EventBridge produced from the target's
 * `Input`, `InputPath` or `InputTransformer`. A queue takes it as the body, as it is; a
 * function and a bus take it as JSON.
 */
export class TransformedInput {
  constructor(readonly text: string) {}
}

/** The payload as JSON, for a function or a bus; input that is not JSON cannot be delivered. */
export function asJson(input: unknown): unknown {
  if (!(input instanceof TransformedInput)) return input;
  try {
    return JSON.parse(input.text);
  } catch (error) {
    throw new DeliveryError(
      "InvalidRequestContentException",
      `Could not parse request body into json: ${(error as Error).message} (the target's input is ${JSON.stringify(input.text.slice(0, 200))})`,
    );
  }
}

/** The payload as a queue message body: transformed input as it is, anything else as JSON. */
export function asText(input: unknown): string {
  return input instanceof TransformedInput ? input.text : JSON.stringify(input);
}

/** Variables EventBridge defines for every template; InputPathsMap cannot redefine them. */
const PREDEFINED = [
  "aws.events.rule-arn",
  "aws.events.rule-name",
  "aws.events.event",
  "aws.events.event.json",
  "aws.events.event.ingestion-time",
];

/**
 * EventBridge's JSONPath subset: dot notation with names of letters, digits, `_`, `-` and `/`,
 * array indices and `*` wildcards. Anything else (filters, scripts, bracketed names) is
 * refused when the environment starts, as the rule could not be deployed.
 */
const SUPPORTED_PATH = /^\$(\.(\*|[A-Za-z0-9_\-/$]+)|\[(\d+|\*)\])*$/;

/** Refuses, with one line naming rule, target and path, what EventBridge would not accept. */
export function checkTargetInput(rule: RuleModel, target: TargetModel): void {
  const where = `rule ${rule.path}, target ${target.id}`;
  const paths = {
    ...(target.inputPath !== undefined && { InputPath: target.inputPath }),
    ...Object.fromEntries(
      Object.entries(target.inputTransformer?.inputPathsMap ?? {}).map(([name, path]) => [
        `InputPathsMap.${name}`,
        path,
      ]),
    ),
  };
  for (const [field, path] of Object.entries(paths)) {
    if (!SUPPORTED_PATH.test(path)) {
      throw new AssemblyError(
        `${where}: ${field} is ${JSON.stringify(path)}; allowed: a JSONPath in dot notation such as $.detail.items[0].id (names, array indices, * wildcards)`,
      );
    }
  }
  for (const name of Object.keys(target.inputTransformer?.inputPathsMap ?? {})) {
    if (PREDEFINED.includes(name) || name.startsWith("aws.")) {
      throw new AssemblyError(
        `${where}: InputPathsMap defines ${name}; names starting with "aws." are EventBridge's own`,
      );
    }
  }
}

/** What the target receives: the event itself, or the text its input settings make of it. */
export function targetInput(
  rule: RuleModel,
  target: TargetModel,
  event: BusEvent,
  ingestedAtMs: number,
): BusEvent | TransformedInput {
  if (target.input !== undefined) return new TransformedInput(target.input);
  if (target.inputPath !== undefined) {
    return new TransformedInput(JSON.stringify(select(event, target.inputPath) ?? null));
  }
  if (target.inputTransformer !== undefined) {
    const values = new Map<string, unknown>([
      ["aws.events.rule-arn", rule.arn],
      ["aws.events.rule-name", rule.name],
      ["aws.events.event", event],
      ["aws.events.event.json", event],
      ["aws.events.event.ingestion-time", new Date(ingestedAtMs).toISOString()],
    ]);
    for (const [name, path] of Object.entries(target.inputTransformer.inputPathsMap)) {
      values.set(name, select(event, path));
    }
    return new TransformedInput(fillTemplate(target.inputTransformer.inputTemplate, values));
  }
  return event;
}

/** The value at a JSONPath; several matches (a wildcard) make an array; none, undefined. */
function select(event: BusEvent, path: string): unknown {
  return JSONPath({ path, json: event, wrap: false, eval: false });
}

/**
 * Fills `<name>` placeholders as EventBridge does. Inside a JSON string (between quotes) a
 * value goes in as text, escaped for the string: a string without its quotes, anything else
 * as its JSON. Elsewhere in a JSON template (one that starts with `{` or `[`) a value goes in
 * as JSON: a string with its quotes, a missing value as null. In a plain-text template a
 * string goes in as it is and a missing value as nothing. Unknown names stay as written.
 */
export function fillTemplate(template: string, values: ReadonlyMap<string, unknown>): string {
  const trimmed = template.trimStart();
  const json = trimmed.startsWith("{") || trimmed.startsWith("[");
  let out = "";
  let inString = false;
  let escaped = false;
  for (let i = 0; i < template.length; i += 1) {
    const char = template[i] ?? "";
    if (char === "<") {
      const end = template.indexOf(">", i + 1);
      const name = end < 0 ? "" : template.slice(i + 1, end);
      if (values.has(name)) {
        out += render(values.get(name), inString ? "in-string" : json ? "json" : "text");
        i = end;
        escaped = false;
        continue;
      }
    }
    out += char;
    if (escaped) escaped = false;
    else if (char === "\\") escaped = true;
    else if (char === '"') inString = !inString;
  }
  return out;
}

function render(value: unknown, place: "in-string" | "json" | "text"): string {
  const text = value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  switch (place) {
    case "in-string":
      return JSON.stringify(text).slice(1, -1);
    case "json":
      return JSON.stringify(value ?? null);
    case "text":
      return text;
  }
}
