import { isAbsolute, resolve } from "node:path";
import { SERVICE_SOURCE_METADATA } from "@ebsvc/service-contract";
import { arns, eventBusNameOf, functionArnOf, lambdaFunctionName, type Place } from "./arns.js";
import { AssemblyError } from "./assembly-error.js";
import type {
  ArchiveModel,
  BusModel,
  FunctionModel,
  InputTransformerModel,
  InvokeConfigModel,
  LocalModel,
  QueueModel,
  RuleModel,
} from "./local-model.js";
import { LOCAL_PLACE_DEFAULTS, readStacks } from "./read-stacks.js";
import { busNameOf } from "./resource-identity.js";
import type { StackScope } from "./stack-scope.js";

/** Reads the cloud assembly in `assemblyDir` into what the local environment runs. */
export function readModel(assemblyDir: string, fallback: Place = LOCAL_PLACE_DEFAULTS): LocalModel {
  const agnostic = { value: false };
  const stacks = readStacks(assemblyDir, fallback, agnostic);
  const place = stacks[0]?.place ?? fallback;
  const warnings: string[] = [];
  const buses = new Map<string, BusModel>();
  const addBus = (name: string, created: boolean) => {
    if (!buses.has(name) || created)
      buses.set(name, { name, arn: arns.eventBus(place, name), created });
  };
  addBus("default", false);

  const archives: ArchiveModel[] = [];
  const rules: RuleModel[] = [];
  const functions: FunctionModel[] = [];
  const invokeConfigs: InvokeConfigModel[] = [];
  const queues: QueueModel[] = [];
  const aliases: { functionArn: string; name: string; version: string }[] = [];

  for (const stack of stacks) {
    for (const [logicalId, resource] of stack.resources) {
      const prop = (name: string) => stack.property(logicalId, name);
      const id = stack.identity(logicalId);
      const path = String(resource.Metadata?.["aws:cdk:path"] ?? `${stack.name}/${logicalId}`);
      switch (resource.Type) {
        case "AWS::Events::EventBus":
          addBus(String(id.ref), true);
          break;
        case "AWS::Events::Archive": {
          const source = String(prop("SourceArn"));
          archives.push({
            name: String(id.ref),
            arn: String(id.attributes.Arn),
            busName: busNameOf(source),
            pattern: parsePattern(prop("EventPattern"), `${stack.file}: ${logicalId}`),
            retentionDays: numberOr(prop("RetentionDays"), undefined),
          });
          break;
        }
        case "AWS::Events::Rule":
          rules.push(readRule(stack, logicalId, path));
          break;
        case "AWS::Lambda::Function":
          functions.push(readFunction(stack, logicalId, path, assemblyDir));
          break;
        case "AWS::Lambda::Alias":
          aliases.push({
            functionArn: functionArnOf(String(id.ref)) ?? String(id.ref),
            name: String(prop("Name")),
            version: String(prop("FunctionVersion")),
          });
          break;
        case "AWS::Lambda::EventInvokeConfig": {
          const destinations = (prop("DestinationConfig") ?? {}) as {
            OnSuccess?: { Destination?: string };
            OnFailure?: { Destination?: string };
          };
          invokeConfigs.push({
            functionName: lambdaFunctionName(String(prop("FunctionName"))),
            qualifier: String(prop("Qualifier") ?? "$LATEST"),
            maximumRetryAttempts: numberOr(prop("MaximumRetryAttempts"), 2),
            maximumEventAgeSeconds: numberOr(prop("MaximumEventAgeInSeconds"), 21_600),
            onSuccess: destinations.OnSuccess?.Destination,
            onFailure: destinations.OnFailure?.Destination,
          });
          break;
        }
        case "AWS::SQS::Queue":
          queues.push({
            name: String(id.attributes.QueueName),
            arn: String(id.attributes.Arn),
            url: String(id.ref),
            retentionSeconds: numberOr(prop("MessageRetentionPeriod"), 345_600),
            visibilityTimeoutSeconds: numberOr(prop("VisibilityTimeout"), 30),
            maximumMessageSizeBytes: numberOr(prop("MaximumMessageSize"), 262_144),
          });
          break;
      }
    }
  }

  const withAliases = functions.map((fn) => ({
    ...fn,
    aliases: Object.fromEntries(
      aliases.filter((alias) => alias.functionArn === fn.arn).map((a) => [a.name, a.version]),
    ),
  }));
  // Buses the app only refers to (imported ones) exist in the account: give them a local twin.
  for (const rule of rules) addBus(rule.busName, false);
  for (const target of [
    ...rules.flatMap((rule) => rule.targets.map((t) => t.arn)),
    ...invokeConfigs.flatMap((config) => [config.onSuccess, config.onFailure]),
  ]) {
    const bus = target && eventBusNameOf(target);
    if (bus) addBus(bus, false);
  }

  return {
    place,
    environmentAgnostic: agnostic.value,
    buses: [...buses.values()],
    archives,
    rules,
    functions: withAliases,
    invokeConfigs,
    queues,
    warnings,
  };
}

function readRule(stack: StackScope, logicalId: string, path: string): RuleModel {
  const prop = (name: string) => stack.property(logicalId, name);
  const where = `${stack.file}: ${logicalId}`;
  const targets = ((prop("Targets") ?? []) as Record<string, unknown>[]).map((target) => {
    const retry = (target.RetryPolicy ?? {}) as Record<string, unknown>;
    return {
      id: String(target.Id),
      arn: String(target.Arn),
      maximumRetryAttempts: numberOr(retry.MaximumRetryAttempts, 185),
      maximumEventAgeSeconds: numberOr(retry.MaximumEventAgeInSeconds, 86_400),
      deadLetterArn: (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn,
      input: typeof target.Input === "string" ? target.Input : undefined,
      inputPath: typeof target.InputPath === "string" ? target.InputPath : undefined,
      inputTransformer: readInputTransformer(
        target.InputTransformer,
        `${where} target ${target.Id}`,
      ),
    };
  });
  const id = stack.identity(logicalId);
  return {
    path,
    name: String(id.ref).split("|").at(-1) ?? "",
    arn: String(id.attributes.Arn),
    busName: busNameOf(prop("EventBusName")),
    pattern: parsePattern(prop("EventPattern"), where),
    schedule:
      typeof prop("ScheduleExpression") === "string"
        ? String(prop("ScheduleExpression"))
        : undefined,
    enabled: (prop("State") ?? "ENABLED") === "ENABLED",
    targets,
  };
}

function readFunction(
  stack: StackScope,
  logicalId: string,
  path: string,
  assemblyDir: string,
): FunctionModel {
  const prop = (name: string) => stack.property(logicalId, name);
  const id = stack.identity(logicalId);
  const environment = (prop("Environment") as { Variables?: Record<string, unknown> } | undefined)
    ?.Variables;
  const source = stack.template.Resources?.[logicalId]?.Metadata?.[SERVICE_SOURCE_METADATA] as
    | { id?: unknown; directory?: unknown }
    | undefined;
  const service =
    typeof source?.id === "string" && typeof source.directory === "string"
      ? {
          id: source.id,
          directory: isAbsolute(source.directory)
            ? source.directory
            : resolve(assemblyDir, source.directory),
        }
      : undefined;
  return {
    path,
    name: String(id.ref),
    arn: String(id.attributes.Arn),
    timeoutSeconds: numberOr(prop("Timeout"), 3),
    memorySize: numberOr(prop("MemorySize"), 128),
    environment: Object.fromEntries(
      Object.entries(environment ?? {}).map(([key, value]) => [key, String(value)]),
    ),
    service,
    aliases: {},
  };
}

/** A target's InputTransformer; paths map values must be strings (JSONPaths). */
function readInputTransformer(value: unknown, where: string): InputTransformerModel | undefined {
  if (value === undefined) return undefined;
  const transformer = value as { InputPathsMap?: unknown; InputTemplate?: unknown };
  if (typeof transformer.InputTemplate !== "string") {
    throw new AssemblyError(`${where}: InputTransformer.InputTemplate is not a string`);
  }
  const paths = transformer.InputPathsMap ?? {};
  if (
    typeof paths !== "object" ||
    paths === null ||
    Object.values(paths).some((path) => typeof path !== "string")
  ) {
    throw new AssemblyError(
      `${where}: InputTransformer.InputPathsMap must map names to JSONPath strings`,
    );
  }
  return {
    inputPathsMap: paths as Record<string, string>,
    inputTemplate: transformer.InputTemplate,
  };
}

/** Patterns appear as objects, or as JSON strings when written by hand. */
function parsePattern(pattern: unknown, where: string): unknown {
  if (typeof pattern !== "string") return pattern;
  try {
    return JSON.parse(pattern);
  } catch {
    throw new AssemblyError(`${where}: EventPattern is not valid JSON`);
  }
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === "number"
    ? value
    : typeof value === "string" && value !== ""
      ? Number(value)
      : fallback;
}
