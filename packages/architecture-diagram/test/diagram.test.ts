import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readModel } from "@ebsvc/cloud-assembly";
import { removeTempDirs, synthCheckoutApp, synthFixtureApp } from "@ebsvc/test-fixtures";
import { afterAll, describe, expect, it } from "vitest";
import {
  architectureDocument,
  describePattern,
  renderMermaid,
  withReadmeDiagram,
} from "../src/index.js";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const root = join(packageDir, "..", "..");
const assembly = synthFixtureApp();
afterAll(() => rmSync(assembly, { recursive: true, force: true }));
afterAll(removeTempDirs);

describe("renderMermaid", () => {
  const text = renderMermaid(readModel(assembly));
  const node = (label: string) => text.match(new RegExp(`(n\\d+)[\\[(]+"${label}"`))?.[1];

  it("draws buses, services and DLQs, and the arrows between them", () => {
    expect(text.startsWith("flowchart LR\n")).toBe(true);
    const [source, output, steady, steadyDlq] = [
      node("source_bus"),
      node("output_bus"),
      node("steady"),
      node("steady DLQ"),
    ];
    expect([source, output, steady, steadyDlq]).not.toContain(undefined);
    expect(text).toContain(`${source} -- "source = steady" --> ${steady}`);
    expect(text).toContain(`${steady} -. success .-> ${output}`);
    expect(text).toContain(`${steady} -. failure .-> ${steadyDlq}`);
    expect(text).toContain(`${source} -. undeliverable .-> ${steadyDlq}`);
    // A service that sends results back to where it listens.
    expect(text).toContain(`${node("once")} -. success .-> ${source}`);
  });

  it("draws a rule whose target is not a service by what it is", () => {
    expect(text).toContain(`${node("source_bus")} -- "source = orphan" --> ${node("gone")}`);
    const orphanQueue = text.match(/(n\d+)\[\["FixtureStack-OrphanDeadLetters/)?.[1];
    expect(text).toContain(`${node("source_bus")} -. undeliverable .-> ${orphanQueue}`);
  });

  it("draws targets other than services, buses and queues by their resource, without ARN", () => {
    const model = readModel(assembly);
    const [rule] = model.rules;
    if (!rule) throw new Error("the fixture has rules");
    const target = (id: string, arn: string) => ({
      id,
      arn,
      maximumRetryAttempts: 0,
      maximumEventAgeSeconds: 60,
    });
    const other = renderMermaid({
      ...model,
      rules: [
        {
          ...rule,
          targets: [
            target("s", "arn:aws:states:eu-west-1:1:stateMachine:flow"),
            target("t", "arn:aws:sns:eu-west-1:1:alerts"),
          ],
        },
      ],
    });
    expect(other).toMatch(/n\d+>"stateMachine:flow"\]/);
    expect(other).toMatch(/n\d+>"alerts"\]/);
    expect(other).not.toMatch(/arn:|eu-west-1/);
  });

  it("gives the same text on every run, with no account or region in it", () => {
    expect(renderMermaid(readModel(assembly))).toBe(text);
    expect(text).not.toMatch(/111122223333|eu-west-1|arn:/);
  });
});

describe("describePattern", () => {
  it("reads simple patterns as equalities and shows the others as JSON", () => {
    expect(describePattern({ source: ["a", "b"], "detail-type": ["X"] })).toBe(
      "source = a | b, detail-type = X",
    );
    expect(describePattern({ source: ["lambda"], resources: [{ prefix: "arn:x" }] })).toBe(
      '{"source":["lambda"],"resources":[{"prefix":"arn:x"}]}',
    );
    expect(describePattern({ detail: { text: ["y".repeat(200)] } })).toHaveLength(80);
    const results = {
      source: ["lambda"],
      "detail-type": ["Lambda Function Invocation Result - Success"],
      resources: ["arn:aws:lambda:eu-west-1:1:function:fn-a:live"],
    };
    expect(describePattern(results, (arn) => (arn.includes("fn-a") ? "orders" : undefined))).toBe(
      "results of orders",
    );
    expect(describePattern(results)).toBe(
      "source = lambda, detail-type = Lambda Function Invocation Result - Success, resources = arn:aws:lambda:eu-west-1:1:function:fn-a:live",
    );
  });
});

describe("the documents", () => {
  it("puts the diagram between the README's markers and nowhere else", () => {
    const model = readModel(assembly);
    const readme =
      "# App\n\n<!-- architecture-diagram:start -->\nold\n<!-- architecture-diagram:end -->\n\nrest\n";
    const updated = withReadmeDiagram(readme, model);
    expect(updated).toBe(
      `# App\n\n<!-- architecture-diagram:start -->\n\n\`\`\`mermaid\n${renderMermaid(model)}\`\`\`\n\n<!-- architecture-diagram:end -->\n\nrest\n`,
    );
    expect(withReadmeDiagram(updated, model)).toBe(updated);
    expect(() => withReadmeDiagram("# no markers", model)).toThrow(
      /no <!-- architecture-diagram:start -->/,
    );
    expect(architectureDocument(model)).toContain(`\`\`\`mermaid\n${renderMermaid(model)}\`\`\``);
  });

  it("docs/architecture.md and the README show the app as it is synthesized now", () => {
    // The CDK CLI's synth of the checkout's app, into a folder of its own.
    const app = synthCheckoutApp();
    const check = spawnSync(
      "node",
      [join(packageDir, "dist", "cli.js"), "--check", "--assembly", app],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  }, 180_000);
});

describe("pnpm diagram", () => {
  const scratch = mkdtempSync(join(tmpdir(), "diagram-cli-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const diagram = (...args: string[]) =>
    spawnSync("node", [join(packageDir, "dist", "cli.js"), ...args], { encoding: "utf8" });

  it("says how to make the assembly when there is none, in one line", () => {
    const { status, stderr } = diagram("--check", "--assembly", scratch);
    expect(status).toBe(2);
    expect(stderr.split("\n")[0]).toBe(
      `diagram: ${join(scratch, "manifest.json")} does not exist: synthesize the app first (pnpm synth), or pass the folder of a cloud assembly`,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("refuses a broken manifest in one line naming it, with no stack trace", () => {
    writeFileSync(join(scratch, "manifest.json"), '{"version": "55.0.0", "artifacts": {');
    const { status, stderr } = diagram("--check", "--assembly", scratch);
    expect(status).toBe(2);
    expect(stderr.split("\n")[0]).toMatch(
      `diagram: ${join(scratch, "manifest.json")} cannot be read as a cloud assembly (`,
    );
    expect(stderr.split("\n")[0]).toMatch(
      /\): synthesize the app again \(pnpm synth\), or pass the folder of a cloud assembly$/,
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
