import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { STACK_NAME } from "@ebsvc/infra";
import { readServiceFolder, successBusName } from "@ebsvc/service-contract";
import { removeTempDirs, tempDir } from "@ebsvc/test-fixtures";
import { type App, type CfnElement, NestedStack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll } from "vitest";
import { buildChoreographyTest, infraContext } from "../src/choreography-test.js";

export const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");
export const INTEG_DIR = resolve(import.meta.dirname, "..");

afterAll(removeTempDirs);

export { tempDir };

/**
 * A repository root with copies of the real services (package.json, Dockerfile, bundle) and
 * optionally a secrets.json: what createApp reads, whatever secrets.json the checkout has.
 */
export function tempRepo(options: { secrets?: unknown } = {}): string {
  const root = tempDir("integ-repo-");
  cpSync(join(REPO_ROOT, "services"), join(root, "services"), {
    recursive: true,
    filter: (path) => !/[/\\](node_modules|\.turbo|src|test)$/.test(path),
  });
  if (options.secrets !== undefined) {
    writeFileSync(join(root, "secrets.json"), JSON.stringify(options.secrets));
  }
  return root;
}

/** The integ app of a repository root, synthesized into a fresh folder. */
export function synthIntegApp(repoRoot: string) {
  const outdir = tempDir("integ-out-");
  const test = buildChoreographyTest({ repoRoot, outdir, context: infraContext(REPO_ROOT) });
  const assembly = test.app.synth();
  const readJson = (file: string): unknown => JSON.parse(readFileSync(join(outdir, file), "utf8"));
  return {
    ...test,
    outdir,
    assembly,
    /** The bus stack's template. */
    template: Template.fromStack(test.stack),
    /** The template of each stack under test, by stack name. */
    templates: Object.fromEntries(
      test.stacks.map((stack) => [stack.stackName, Template.fromStack(stack)]),
    ) as Record<string, Template>,
    assertionTemplate: Template.fromStack(test.assertionStack),
    readJson,
    /** What CloudFormation would make of a value of a stack's template, in this assembly. */
    resolve: (stackName: string, value: unknown) =>
      resolveDeployed(stackName, value, {
        read: (file) => readJson(file) as TemplateJson,
        nestedTemplates: nestedTemplatesOf(test.app),
      }),
  };
}

/** A CloudFormation resource as synthesized. */
export interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
}

/** The resources of a template of the given type, by logical id, in template order. */
export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

/** A template as synthesized. */
interface TemplateJson {
  readonly Resources: Record<string, Resource & { Metadata?: Record<string, string> }>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}

/** Where the stand-in deployment is: physical names and ARNs are made up in it. */
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";

/**
 * The stand-in ARN of a service's alias (the one `live`), its function named as long as
 * CloudFormation names them (64 characters: the stack's name and the function's logical id,
 * cut, and a random suffix), so that records are as large as in AWS.
 */
export function aliasArnOf(service: string): string {
  const name = `${`EventBridgeServicesStack-Se-${service}FunctionA1B2C3D4`.slice(0, 51)}-AbCdEfGhIjKl`;
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name.padEnd(64, "x")}:live`;
}

/** The stand-in URL of a queue: its stack and logical id, so each queue has its own. */
export function queueUrlOf(stackName: string, logicalId: string): string {
  return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${stackName}-${logicalId}`;
}

/**
 * The template file and construct id of each nested stack of the app (a service's: its id),
 * by its parent stack's name and its logical id there: `<stack name>/<logical id>`.
 */
function nestedTemplatesOf(app: App): Record<string, { file: string; id: string }> {
  return Object.fromEntries(
    app.node
      .findAll()
      .filter((construct): construct is NestedStack => NestedStack.isNestedStack(construct))
      .map((nested) => {
        const parent = nested.nestedStackParent as NestedStack["nestedStackParent"] & {};
        const resource = nested.nestedStackResource as CfnElement;
        return [
          `${parent.stackName}/${parent.getLogicalId(resource)}`,
          { file: nested.templateFile, id: nested.node.id },
        ];
      }),
  );
}

/** What resolveDeployed reads: the assembly's files, and where nested templates are. */
interface Assembly {
  readonly read: (file: string) => TemplateJson;
  readonly nestedTemplates: Readonly<Record<string, { file: string; id: string }>>;
}

/**
 * Resolves what CloudFormation would, in a stand-in deployment, for the intrinsics the
 * stacks under test and the assertion stack use to refer to one another: Fn::Join;
 * Fn::ImportValue, through the stack that exports it; Ref to a bus (its name), a queue (its
 * URL) or, in a service's nested stack, its alias (its ARN); and Fn::GetAtt of a nested
 * stack's output, through the nested template. Other references (a stack's own functions,
 * roles) are left as they are.
 */
function resolveDeployed(
  stackName: string,
  value: unknown,
  assembly: Assembly,
  template: TemplateJson = assembly.read(`${stackName}.template.json`),
  service?: string,
): unknown {
  const again = (item: unknown) => resolveDeployed(stackName, item, assembly, template, service);
  if (Array.isArray(value)) return value.map(again);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if ("Fn::Join" in object) {
    const [separator, parts] = object["Fn::Join"] as [string, unknown[]];
    return parts.map(again).join(separator);
  }
  if ("Fn::ImportValue" in object) {
    const name = object["Fn::ImportValue"] as string;
    const exporter = name.split(":")[0] as string;
    const exported = assembly.read(`${exporter}.template.json`);
    const output = Object.values(exported.Outputs ?? {}).find((o) => o.Export?.Name === name);
    if (output === undefined) throw new Error(`${exporter} exports no ${name}`);
    return resolveDeployed(exporter, output.Value, assembly, exported);
  }
  if ("Ref" in object) {
    const id = object.Ref as string;
    const resource = template.Resources[id];
    switch (resource?.Type) {
      case "AWS::Events::EventBus":
        return resource.Properties.Name;
      case "AWS::SQS::Queue":
        return queueUrlOf(stackName, id);
      case "AWS::Lambda::Alias":
        if (service === undefined) throw new Error(`an alias ${id} outside a service's stack`);
        return aliasArnOf(service);
      default:
        return value;
    }
  }
  if ("Fn::GetAtt" in object) {
    const [id, attribute] = object["Fn::GetAtt"] as [string, string];
    const nestedStack = assembly.nestedTemplates[`${stackName}/${id}`];
    if (nestedStack === undefined || !attribute.startsWith("Outputs.")) return value;
    const nested = assembly.read(nestedStack.file);
    const output = nested.Outputs?.[attribute.slice("Outputs.".length)];
    if (output === undefined) throw new Error(`${nestedStack.file} has no output ${attribute}`);
    return resolveDeployed(`${stackName}/${id}`, output.Value, assembly, nested, nestedStack.id);
  }
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, again(item)]));
}

/**
 * Whether an event matches an event pattern, for the patterns the test rules use: every
 * field of the pattern is in the event, an array of values matching when the event's value
 * (or, for an array in the event, any of its items) is one of them, an object matching the
 * event's object field by field. (EventBridge's other operators, prefix and the like, are
 * not used here, and not supported.)
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) {
    if (pattern.some((item) => item !== null && typeof item === "object")) {
      throw new Error(`unsupported pattern ${JSON.stringify(pattern)}`);
    }
    const values = Array.isArray(event) ? event : [event];
    return values.some((value) => pattern.includes(value));
  }
  if (pattern === null || typeof pattern !== "object") {
    throw new Error(`a pattern's leaves are arrays, not ${JSON.stringify(pattern)}`);
  }
  if (event === null || typeof event !== "object" || Array.isArray(event)) return false;
  const fields = event as Record<string, unknown>;
  return Object.entries(pattern).every(
    ([key, inner]) => key in fields && matchesPattern(inner, fields[key]),
  );
}

const SEED_SUCCESS_RECORD = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures", "seed-success-event.json"), "utf8"),
) as SuccessRecord;

/** A success record as the seed documents it (fixtures/seed-success-event.json). */
export interface SuccessRecord {
  readonly source: string;
  readonly "detail-type": string;
  readonly account: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: {
    readonly requestContext: { functionArn: string; condition: string };
    readonly requestPayload: Record<string, unknown>;
    readonly responsePayload: Record<string, unknown>;
  } & Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** The seed's test event ("Test the services") as a service receives it, sent to `source`. */
export function seedEvent(source: string): Record<string, unknown> {
  return {
    ...SEED_SUCCESS_RECORD.detail.requestPayload,
    source,
    account: ACCOUNT,
    region: REGION,
  };
}

/**
 * The success record of `service` for the event it received, on the bus it lands on, shaped
 * as the seed documents it: the alias invoked in `resources` and `requestContext`.
 */
export function successRecord(
  service: string,
  requestPayload: Record<string, unknown>,
  bus: string,
): SuccessRecord {
  const record = structuredClone(SEED_SUCCESS_RECORD);
  return {
    ...record,
    account: ACCOUNT,
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${bus}`, aliasArnOf(service)],
    detail: {
      ...record.detail,
      requestContext: { ...record.detail.requestContext, functionArn: aliasArnOf(service) },
      requestPayload,
    },
  };
}

/**
 * The bus a service's success results land on, as its services/<id>/package.json says
 * ("source": the bus it listens on, source_bus).
 */
export function resultBusOf(service: string): string {
  const folder = readServiceFolder(join(REPO_ROOT, "services", service));
  if (!folder) throw new Error(`services/${service} is not a service`);
  return successBusName(folder.settings.successBus);
}

/**
 * The success records of a chain for the seed's event sent to its first service: each next
 * service's request is the record before it. The last record is the chain's result.
 */
export function chainRecords(services: readonly string[]): SuccessRecord[] {
  const records: SuccessRecord[] = [];
  let request = seedEvent(services[0] as string);
  for (const service of services) {
    const record = successRecord(service, request, resultBusOf(service));
    records.push(record);
    request = record as unknown as Record<string, unknown>;
  }
  return records;
}

/** The success record of `service` for the seed's event sent to it. */
export function seedSuccessRecord(service: string): SuccessRecord {
  return chainRecords([service])[0] as SuccessRecord;
}

/** The stacks the integ app puts under test today: the bus stack and two shard stacks. */
export const UNDER_TEST = [
  STACK_NAME,
  ...Array.from({ length: 8 }, (_, shard) => `${STACK_NAME}-Services${shard}`),
];

/** A CloudFormation that describes the stacks given by name (tags, status), and no others. */
export function describing(stacks: Record<string, { StackStatus: string; Tags?: unknown[] }>) {
  const asked: string[] = [];
  const client = {
    send: async (command: { input: { StackName: string } }) => {
      const name = command.input.StackName;
      asked.push(name);
      const stack = stacks[name];
      if (!stack) throw new Error(`Stack with id ${name} does not exist`);
      return { Stacks: [{ StackName: name, ...stack }] };
    },
  } as unknown as CloudFormationClient;
  return { client, asked };
}
