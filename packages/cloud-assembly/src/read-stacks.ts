import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Place } from "./arns.js";
import { AssemblyError } from "./assembly-error.js";
import { StackScope } from "./stack-scope.js";
import type { CfnTemplate } from "./template.js";

interface Manifest {
  artifacts?: Record<
    string,
    {
      type: string;
      environment?: string;
      displayName?: string;
      properties?: { templateFile?: string; stackName?: string };
    }
  >;
}

/** Where functions run locally when the assembly is environment-agnostic. */
export const LOCAL_PLACE_DEFAULTS: Place = { account: "000000000000", region: "us-east-1" };

/**
 * Every stack of a cloud assembly, nested stacks included, each able to resolve its template.
 * `fallback` gives the account and region of environment-agnostic stacks.
 */
export function readStacks(
  assemblyDir: string,
  fallback: Place = LOCAL_PLACE_DEFAULTS,
  /** Set to true when a stack names no account or region. */
  agnostic: { value: boolean } = { value: false },
): StackScope[] {
  const manifestPath = join(assemblyDir, "manifest.json");
  if (!existsSync(manifestPath)) {
    throw new AssemblyError(
      `${manifestPath} does not exist: synthesize the app first (pnpm synth), or pass the folder of a cloud assembly`,
    );
  }
  const manifest = readJson<Manifest>(manifestPath);
  const scopes: StackScope[] = [];
  const exportsByName = new Map<string, () => unknown>();
  const importValue = (name: string) => {
    if (exportsByName.size === 0) {
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
    place: Place,
    parameters: Record<string, unknown>,
  ): StackScope => {
    const file = join(assemblyDir, templateFile);
    const scope = new StackScope(
      name,
      readJson<CfnTemplate>(file),
      place,
      templateFile,
      parameters,
      importValue,
    );
    scopes.push(scope);
    // Nested stacks are read on first use: a nested stack's parameters may refer to a
    // sibling's outputs, whichever comes first in the template.
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
        place,
        nestedParameters ?? {},
      );
      nested.set(logicalId, child);
      return child;
    };
    scope.nestedOutput = (logicalId, output) => nestedStack(logicalId).output(output);
    for (const [logicalId, resource] of scope.resources) {
      if (resource.Type === "AWS::CloudFormation::Stack") nestedStack(logicalId);
    }
    return scope;
  };

  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type !== "aws:cloudformation:stack") continue;
    const templateFile = artifact.properties?.templateFile;
    if (!templateFile)
      throw new AssemblyError(`${manifestPath}: stack ${artifactId} has no template`);
    if (isAgnostic(artifact.environment)) agnostic.value = true;
    addStack(
      artifact.properties?.stackName ?? artifact.displayName ?? artifactId,
      templateFile,
      placeOf(artifact.environment, fallback),
      {},
    );
  }
  if (scopes.length === 0) throw new AssemblyError(`${manifestPath}: the assembly has no stacks`);
  return scopes;
}

/** `aws://123456789012/eu-west-1`, with `unknown-account`/`unknown-region` when agnostic. */
/** Whether a manifest environment names no account or region. */
function isAgnostic(environment: string | undefined): boolean {
  return environment === undefined || /unknown-(account|region)/.test(environment);
}

function placeOf(environment: string | undefined, fallback: Place): Place {
  const [, account, region] = environment?.match(/^aws:\/\/([^/]+)\/(.+)$/) ?? [];
  return {
    account: account && account !== "unknown-account" ? account : fallback.account,
    region: region && region !== "unknown-region" ? region : fallback.region,
  };
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new AssemblyError(`${file}: cannot be read as JSON (${(error as Error).message})`);
  }
}
