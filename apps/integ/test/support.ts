import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll } from "vitest";
import { buildChoreographyTest, infraContext } from "../src/choreography-test.js";

export const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");
export const INTEG_DIR = resolve(import.meta.dirname, "..");

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

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
  return {
    ...test,
    outdir,
    assembly,
    template: Template.fromStack(test.stack),
    assertionTemplate: Template.fromStack(test.assertionStack),
    readJson: (file: string): unknown => JSON.parse(readFileSync(join(outdir, file), "utf8")),
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

/** The only resource of a type whose properties satisfy `where`. */
export function onlyResource(
  template: Template,
  type: string,
  where: (properties: Record<string, unknown>) => boolean,
): [string, Resource] {
  const found = resourcesOf(template, type).filter(([, resource]) => where(resource.Properties));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as [string, Resource];
}

/**
 * Resolves what CloudFormation would, for the intrinsics the assertion stack uses:
 * Fn::Join, and Fn::ImportValue through `imports` (export name to value).
 */
export function resolveIntrinsics(value: unknown, imports: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, imports));
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if ("Fn::ImportValue" in object) {
    const name = object["Fn::ImportValue"] as string;
    const imported = imports[name];
    if (imported === undefined) throw new Error(`no value for the import ${name}`);
    return imported;
  }
  if ("Fn::Join" in object) {
    const [separator, parts] = object["Fn::Join"] as [string, unknown[]];
    return parts.map((part) => resolveIntrinsics(part, imports)).join(separator);
  }
  return Object.fromEntries(
    Object.entries(object).map(([key, item]) => [key, resolveIntrinsics(item, imports)]),
  );
}

/** The seed's documented success record ("Test the services"), for a service. */
export function seedSuccessRecord(service: string): Record<string, unknown> {
  const record = JSON.parse(
    readFileSync(join(import.meta.dirname, "fixtures", "seed-success-event.json"), "utf8"),
  ) as { detail: { requestPayload: { source: string } } };
  record.detail.requestPayload.source = service;
  return record;
}
