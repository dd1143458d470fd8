import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type CloudFormationStackArtifact,
  UNKNOWN_ACCOUNT,
  UNKNOWN_REGION,
} from "@aws-cdk/cloud-assembly-api";
import type { Place } from "./arns.js";
import { AssemblyError } from "./assembly-error.js";
import { openAssembly } from "./open-assembly.js";
import { StackScope } from "./stack-scope.js";
import type { CfnTemplate } from "./template.js";

/** Where functions run locally when the assembly is environment-agnostic. */
export const LOCAL_PLACE_DEFAULTS: Place = { account: "000000000000", region: "us-east-1" };

/**
 * Every stack of a cloud assembly, nested stacks included, each able to resolve its template.
 * `fallback` gives the account and region of environment-agnostic stacks.
 */
export function readStacks(
  assemblyDir: string,
  fallback: Place,
  /** Set to true when a stack names no account or region. */
  agnostic: { value: boolean } = { value: false },
): StackScope[] {
  const assembly = openAssembly(assemblyDir);
  const scopes: StackScope[] = [];
  const exportsByName = new Map<string, () => unknown>();
  // Nested stacks are read once every stack of the assembly is known: their parameters may
  // import what any stack exports.
  const readNested: (() => void)[] = [];
  const importValue = (name: string) => {
    if (!exportsByName.has(name)) {
      // Stacks read since the last look may export it.
      for (const scope of scopes)
        for (const [key, get] of scope.exports()) exportsByName.set(key, get);
    }
    const found = exportsByName.get(name);
    if (!found) throw new AssemblyError(`no stack of ${assemblyDir} exports ${name}`);
    return found();
  };

  const addStack = (
    name: string,
    templateFile: string,
    template: CfnTemplate,
    place: Place,
    parameters: Record<string, unknown>,
  ): StackScope => {
    const scope = new StackScope(name, template, place, templateFile, parameters, importValue);
    scopes.push(scope);
    // Nested stacks are read on first use: a nested stack's parameters may refer to a
    // sibling's outputs, whichever comes first in the template. The assembly does not list
    // them: their templates are assets of the parent, found through its asset metadata.
    const nested = new Map<string, StackScope>();
    const nestedStack = (logicalId: string): StackScope => {
      const known = nested.get(logicalId);
      if (known) return known;
      const resource = scope.template.Resources?.[logicalId];
      if (resource?.Type !== "AWS::CloudFormation::Stack") {
        throw new AssemblyError(`${templateFile}: ${logicalId} is not a nested stack`);
      }
      const nestedFile = resource.Metadata?.["aws:asset:path"];
      if (typeof nestedFile !== "string") {
        throw new AssemblyError(
          `${templateFile}: nested stack ${logicalId} has no aws:asset:path metadata; synthesize with asset metadata on (the CDK CLI's default)`,
        );
      }
      const nestedParameters = scope.property(logicalId, "Parameters") as Record<string, unknown>;
      const child = addStack(
        `${name}-${logicalId}`.slice(0, 128),
        nestedFile,
        readTemplate(join(assemblyDir, nestedFile)),
        place,
        nestedParameters ?? {},
      );
      nested.set(logicalId, child);
      return child;
    };
    scope.nestedOutput = (logicalId, output) => nestedStack(logicalId).output(output);
    readNested.push(() => {
      for (const [logicalId, resource] of scope.resources) {
        if (resource.Type === "AWS::CloudFormation::Stack") nestedStack(logicalId);
      }
    });
    return scope;
  };

  for (const stack of assembly.stacks) {
    const { account, region } = stack.environment;
    if (account === UNKNOWN_ACCOUNT || region === UNKNOWN_REGION) agnostic.value = true;
    addStack(
      stack.stackName,
      stack.templateFile,
      templateOf(stack),
      {
        account: account === UNKNOWN_ACCOUNT ? fallback.account : account,
        region: region === UNKNOWN_REGION ? fallback.region : region,
      },
      {},
    );
  }
  for (let next = readNested.shift(); next; next = readNested.shift()) next();
  if (scopes.length === 0) {
    throw new AssemblyError(`${join(assemblyDir, "manifest.json")}: the assembly has no stacks`);
  }
  return scopes;
}

/** The library parses the template on first use; a broken one names its file. */
function templateOf(stack: CloudFormationStackArtifact): CfnTemplate {
  try {
    return stack.template as CfnTemplate;
  } catch (error) {
    throw new AssemblyError(
      `${stack.templateFullPath}: cannot be read as JSON (${(error as Error).message})`,
    );
  }
}

function readTemplate(file: string): CfnTemplate {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as CfnTemplate;
  } catch (error) {
    throw new AssemblyError(`${file}: cannot be read as JSON (${(error as Error).message})`);
  }
}
