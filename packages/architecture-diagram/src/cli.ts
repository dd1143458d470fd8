#!/usr/bin/env node
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { AssemblyError, readModel } from "@ebsvc/cloud-assembly";
import { APP_ASSEMBLY_DIR, WorkspaceRootError, workspaceRoot } from "@ebsvc/service-contract";
import { architectureDocument, withReadmeDiagram } from "./architecture-document.js";

const USAGE = "usage: pnpm diagram [-- --check] [--assembly <cdk.out folder>]";

/**
 * Writes docs/architecture.md and the README's diagram from the cloud assembly; with --check,
 * writes nothing and exits 1 when either is stale.
 */
function main(argv: readonly string[]): number {
  const { values } = parseArgs({
    args: argv[0] === "--" ? argv.slice(1) : [...argv],
    options: {
      check: { type: "boolean" },
      assembly: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = workspaceRoot(dirname(fileURLToPath(import.meta.url)));
  const model = readModel(values.assembly ?? join(root, APP_ASSEMBLY_DIR));
  const files = [
    { path: join(root, "docs", "architecture.md"), text: () => architectureDocument(model) },
    {
      path: join(root, "README.md"),
      text: () => withReadmeDiagram(readFileSync(join(root, "README.md"), "utf8"), model),
    },
  ];
  let stale = 0;
  for (const file of files) {
    const wanted = file.text();
    const current = readText(file.path);
    if (current === wanted) continue;
    if (values.check) {
      process.stderr.write(`${file.path} is stale: run pnpm diagram\n`);
      stale += 1;
    } else {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, wanted);
      process.stderr.write(`wrote ${file.path}\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  const known =
    error instanceof AssemblyError ||
    error instanceof WorkspaceRootError ||
    (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  if (!known && !(error instanceof Error && error.message.includes("markers"))) throw error;
  process.stderr.write(`diagram: ${(error as Error).message}\n${known ? USAGE : ""}\n`);
  process.exitCode = 2;
}
