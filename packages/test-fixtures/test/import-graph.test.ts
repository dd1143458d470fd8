import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { getPackagesSync } from "@manypkg/get-packages";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const REPO_ROOT = resolve(import.meta.dirname, "..", "..", "..");

/** Every package of the workspace (packages, apps, services): its name, folder and source files. */
function workspacePackages(): Array<{ name: string; dir: string; files: string[] }> {
  return getPackagesSync(REPO_ROOT).packages.map(({ packageJson, dir }) => ({
    name: packageJson.name,
    dir,
    files: sourceFiles(join(dir, "src")),
  }));
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts)$/.test(entry.name))
    .filter((entry) => !entry.name.endsWith(".d.ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** What a file imports (static, dynamic and type-only alike), as TypeScript reads it. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return info.importedFiles.map((imported) => imported.fileName);
}

/** The source file a relative specifier (`./x.js`, `./dir/index.js`) names, if any. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier).replace(/\.(m?js)$/, "");
  return [`${base}.ts`, `${base}.mts`, join(base, "index.ts")].find((path) => existsSync(path));
}

/** The cycles of a graph: its strongly connected components of more than one node, or loops. */
function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indexes = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (node: string) => {
    indexes.set(node, index);
    lowlinks.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexes.has(next)) {
        connect(next);
        lowlinks.set(node, Math.min(lowlinks.get(node) ?? 0, lowlinks.get(next) ?? 0));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node) ?? 0, indexes.get(next) ?? 0));
      }
    }
    if (lowlinks.get(node) === indexes.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indexes.has(node)) connect(node);
  return cycles;
}

const packages = workspacePackages();
const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));

describe("the import graph", () => {
  it("reads the workspace's sources", () => {
    expect(byName.has("@ebsvc/service-contract")).toBe(true);
    expect(byName.has("@ebsvc/infra")).toBe(true);
    expect(byName.has("backtosource")).toBe(true);
    expect(packages.flatMap((pkg) => pkg.files).length).toBeGreaterThan(100);
  });

  it("has no cycle between source files", () => {
    const graph = new Map<string, Set<string>>();
    for (const file of packages.flatMap((pkg) => pkg.files)) {
      const targets = importsOf(file)
        .filter((specifier) => specifier.startsWith("."))
        .map((specifier) => resolveRelative(file, specifier))
        .filter((target): target is string => target !== undefined);
      graph.set(
        relative(REPO_ROOT, file),
        new Set(targets.map((target) => relative(REPO_ROOT, target))),
      );
    }
    expect(cyclesOf(graph)).toEqual([]);
  });

  it("has no cycle between packages", () => {
    const graph = new Map<string, Set<string>>();
    for (const pkg of packages) {
      const imported = pkg.files
        .flatMap(importsOf)
        .map((specifier) => specifier.match(/^(@ebsvc\/[^/]+)/)?.[1])
        .filter((name): name is string => name !== undefined && name !== pkg.name);
      graph.set(pkg.name, new Set(imported.filter((name) => byName.has(name))));
    }
    expect(cyclesOf(graph)).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const graph = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["d"])],
      ["e", new Set(["a"])],
    ]);
    expect(cyclesOf(graph)).toEqual([["d"], ["a", "b", "c"]].reverse());
  });
});
