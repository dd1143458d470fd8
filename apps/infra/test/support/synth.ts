import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type App, type CfnElement, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { createApp, STACK_NAME, synthesize } from "../../src/app.js";
import { ServiceShardStack } from "../../src/service-shard.js";
import type { ServiceStack } from "../../src/service-stack.js";
import type { EventBridgeServicesStack } from "../../src/services-stack.js";
import { tempDir } from "./temp-repo.js";

/** A Docker image asset as the CDK CLI builds it. */
interface ImageAsset {
  displayName: string;
  source: Record<string, unknown>;
}

/** Where a value of a template comes from, after following every stack boundary. */
interface Origin {
  /** The construct path of the stack holding the resource, e.g. `EventBridgeServicesStack`. */
  stack: string;
  logicalId: string;
  /** `Ref`, or the attribute of `Fn::GetAtt` (e.g. `Arn`). */
  attribute: string;
  /** Each boundary crossed on the way, e.g. `ImportValue EventBridgeServicesStack:Exports…`. */
  via: string[];
}

interface CfnTemplate {
  Parameters?: Record<string, unknown>;
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

export type Synth = ReturnType<typeof synthApp>;

/** The logical id of a construct's CloudFormation resource in its own stack. */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/** Synthesizes (and checks) the app of a repository root into a fresh folder. */
export function synthRepo(repoRoot: string): Synth {
  const outdir = tempDir("cdk-out-");
  const app = createApp({ repoRoot, outdir, onEnvironmentAgnostic: () => {} });
  return synthApp(app, outdir);
}

/** The stacks, templates and assets of an app, synthesized (and checked) into `outdir`. */
function synthApp(app: App, outdir: string) {
  const assembly = synthesize(app);
  const busStack = app.node.findChild(STACK_NAME) as EventBridgeServicesStack;
  const shardStacks = app.node.children
    .filter((child): child is ServiceShardStack => child instanceof ServiceShardStack)
    .sort((a, b) => (a.stackName < b.stackName ? -1 : 1));
  const templates = new Map<Stack, Template>();
  const templateOf = (stack: Stack): Template => {
    let template = templates.get(stack);
    if (!template) {
      template = Template.fromStack(stack);
      templates.set(stack, template);
    }
    return template;
  };
  const serviceStack = (id: string): ServiceStack => {
    for (const shard of shardStacks) {
      const found = shard.services[id];
      if (found) return found;
    }
    throw new Error(`no service ${id} in any shard stack`);
  };
  const shardOfService = (id: string): ServiceShardStack =>
    serviceStack(id).nestedStackParent as ServiceShardStack;
  const topLevelStacks: Stack[] = [busStack, ...shardStacks];

  /** Follows a template value across nested-stack parameters and outputs and exports. */
  const trace = (stack: Stack, value: unknown, via: string[] = []): Origin => {
    const json = templateOf(stack).toJSON() as CfnTemplate;
    const here = stack.node.path;
    const fail = (why: string): never => {
      throw new Error(`cannot trace ${JSON.stringify(value)} in ${here}: ${why}`);
    };
    if (value === null || typeof value !== "object") return fail("not an intrinsic");
    const intrinsic = value as Record<string, unknown>;
    if (typeof intrinsic.Ref === "string") {
      const name = intrinsic.Ref;
      if (json.Parameters && name in json.Parameters) {
        const parent = stack.nestedStackParent;
        const resource = stack.nestedStackResource as CfnElement | undefined;
        if (!parent || !resource) return fail(`${name} is a parameter of a top-level stack`);
        const parentJson = templateOf(parent).toJSON() as CfnTemplate;
        const parameters = parentJson.Resources?.[parent.getLogicalId(resource)]?.Properties
          ?.Parameters as Record<string, unknown> | undefined;
        if (!parameters || !(name in parameters))
          return fail(`${parent.node.path} passes no ${name}`);
        return trace(parent, parameters[name], [...via, `Parameter ${name}`]);
      }
      if (json.Resources?.[name]) return { stack: here, logicalId: name, attribute: "Ref", via };
      return fail(`no parameter or resource ${name}`);
    }
    const getAtt = intrinsic["Fn::GetAtt"];
    if (Array.isArray(getAtt) && typeof getAtt[0] === "string" && typeof getAtt[1] === "string") {
      const [logicalId, attribute] = getAtt as [string, string];
      const resource = json.Resources?.[logicalId];
      if (!resource) return fail(`no resource ${logicalId}`);
      if (resource.Type === "AWS::CloudFormation::Stack" && attribute.startsWith("Outputs.")) {
        const child = stack.node
          .findAll()
          .find(
            (construct): construct is Stack =>
              (construct as Stack).nestedStackParent === stack &&
              stack.getLogicalId((construct as Stack).nestedStackResource as CfnElement) ===
                logicalId,
          );
        if (!child) return fail(`no nested stack ${logicalId}`);
        const output = attribute.slice("Outputs.".length);
        const childJson = templateOf(child).toJSON() as CfnTemplate;
        const found = childJson.Outputs?.[output];
        if (!found) return fail(`${child.node.path} has no output ${output}`);
        return trace(child, found.Value, [...via, `Output ${output}`]);
      }
      return { stack: here, logicalId, attribute, via };
    }
    const imported = intrinsic["Fn::ImportValue"];
    if (typeof imported === "string") {
      const exporters = topLevelStacks.flatMap((candidate) =>
        Object.values((templateOf(candidate).toJSON() as CfnTemplate).Outputs ?? {})
          .filter((output) => output.Export?.Name === imported)
          .map((output) => ({ candidate, output })),
      );
      if (exporters.length !== 1) return fail(`${exporters.length} stacks export ${imported}`);
      const [{ candidate, output }] = exporters as [(typeof exporters)[number]];
      return trace(candidate, output.Value, [...via, `ImportValue ${imported}`]);
    }
    return fail("not a Ref, Fn::GetAtt or Fn::ImportValue");
  };

  return {
    app,
    outdir,
    assembly,
    /** The stack holding the buses (STACK_NAME). */
    busStack,
    busTemplate: templateOf(busStack),
    /** The shard stacks that hold services, by name. */
    shardStacks,
    templateOf,
    /** Every service of the app, by id. */
    serviceIds: shardStacks.flatMap((shard) => Object.keys(shard.services)).sort(),
    serviceStack,
    serviceTemplate: (id: string) => templateOf(serviceStack(id)),
    /** The shard stack a service's nested stack is in. */
    shardOfService,
    trace,
    /** Docker image assets of every stack, by hash. */
    imageAssets: (): Record<string, ImageAsset> =>
      Object.assign(
        {},
        ...readdirSync(outdir)
          .filter((file) => file.endsWith(".assets.json"))
          .sort()
          .map((file) => JSON.parse(readFileSync(join(outdir, file), "utf8")).dockerImages ?? {}),
      ),
  };
}

/**
 * A template value as text: strings as they are, pseudo parameters as `${AWS::Region}`,
 * `Fn::Join` joined. Shard stacks name the buses (and other services' aliases) instead of
 * importing them, so this is all a reference to a bus can be.
 */
export function spelt(value: unknown): string {
  if (typeof value === "string") return value;
  const intrinsic = value as Record<string, unknown> | null;
  const ref = intrinsic?.Ref;
  if (typeof ref === "string" && ref.startsWith("AWS::")) return `\${${ref}}`;
  const join = intrinsic?.["Fn::Join"] as [string, unknown[]] | undefined;
  if (Array.isArray(join)) return join[1].map(spelt).join(join[0]);
  throw new Error(`not a name or an ARN spelt out: ${JSON.stringify(value)}`);
}

export const busArn = (name: string) =>
  `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${name}`;
