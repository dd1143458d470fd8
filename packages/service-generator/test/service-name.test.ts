import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SERVICE_ID_RULE, SUCCESS_BUS_CHOICES, serviceIdProblem } from "@ebsvc/service-contract";
import { describe, expect, it } from "vitest";
import { checkServiceName, checkSuccessBus } from "../src/index.js";
import { REPO_ROOT, tempDir } from "./support.js";

/** A repository root with the given services and workspace packages. */
function repoWith(options: { services?: string[]; packages?: Record<string, string> }): string {
  const root = tempDir("names-");
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "the-root" }));
  writeFileSync(
    join(root, "pnpm-workspace.yaml"),
    "packages:\n  - packages/*\n  - 'services/*'\n\nallowBuilds:\n  esbuild: true\n",
  );
  for (const service of options.services ?? []) {
    mkdirSync(join(root, "services", service), { recursive: true });
  }
  for (const [folder, name] of Object.entries(options.packages ?? {})) {
    mkdirSync(join(root, "packages", folder), { recursive: true });
    writeFileSync(join(root, "packages", folder, "package.json"), JSON.stringify({ name }));
  }
  return root;
}

describe("checkServiceName", () => {
  const empty = repoWith({});
  const refusal = (name: string) =>
    `the service name is ${JSON.stringify(name)}; allowed: ${SERVICE_ID_RULE}`;

  it("refuses exactly the ids discovery refuses (the table is service-contract's)", () => {
    const names = ["orders", "a", "a1", "order-events", "x".repeat(63), "Orders", "1a", "x-"];
    for (const name of [...names, "lambda"]) {
      expect(checkServiceName(name, empty) === undefined, name).toBe(
        serviceIdProblem(name) === undefined,
      );
    }
  });

  it.each([
    ["uppercase", "Orders"],
    ["a space", "my orders"],
    ["64 characters", "o".repeat(64)],
    ["a leading digit", "1orders"],
    ["a leading hyphen", "-orders"],
    ["an underscore", "order_events"],
    ["a dot", "orders.v2"],
    ["a slash", "orders/v2"],
    ["nothing", ""],
    ["a trailing hyphen (a Docker image name cannot end so)", "orders-"],
  ])("refuses %s, naming the value and the rule", (_, name) => {
    expect(checkServiceName(name, empty)).toBe(refusal(name));
  });

  it("refuses lambda, the source of every result event", () => {
    expect(checkServiceName("lambda", empty)).toBe(
      'the service name is "lambda", which is reserved: result events have source "lambda", so its rule would match the results of every service, its own included',
    );
  });

  it("refuses a folder that exists under services/, in any case", () => {
    const root = repoWith({ services: ["orders", "Billing"] });
    expect(checkServiceName("orders", root)).toBe(
      'the service name is "orders", which is taken: services/orders already exists',
    );
    expect(checkServiceName("billing", root)).toBe(
      'the service name is "billing", which is taken: services/Billing already exists',
    );
    expect(checkServiceName("payments", root)).toBeUndefined();
  });

  it("refuses the name of another workspace package", () => {
    const root = repoWith({ packages: { tools: "reports", scoped: "@acme/billing" } });
    expect(checkServiceName("reports", root)).toBe(
      'the service name is "reports", which is taken: the package in packages/tools has that name',
    );
    expect(checkServiceName("the-root", root)).toBe(
      'the service name is "the-root", which is taken: the package in the workspace root has that name',
    );
    expect(checkServiceName("billing", root)).toBeUndefined();
  });

  it("says in one line, naming the file, when pnpm cannot list the workspace's packages", () => {
    const root = repoWith({ packages: { tools: "reports" } });
    writeFileSync(join(root, "packages", "tools", "package.json"), "{");
    const refusal = checkServiceName("orders", root) ?? "";
    expect(refusal).toMatch(
      /^the service name "orders" cannot be checked against the workspace's packages: .*packages\/tools\/package\.json/,
    );
    expect(refusal).not.toContain("\n");
  });

  it("in this checkout, refuses the example services and the root package's name", () => {
    expect(checkServiceName("backtosource", REPO_ROOT)).toMatch(/services\/backtosource/);
    expect(checkServiceName("toanother", REPO_ROOT)).toMatch(/services\/toanother/);
    expect(checkServiceName("eventbridge-lambda-services", REPO_ROOT)).toMatch(/workspace root/);
    expect(checkServiceName("orders", REPO_ROOT)).toBeUndefined();
  });
});

describe("checkSuccessBus", () => {
  it("allows what synth allows (service-contract's choices)", () => {
    for (const bus of SUCCESS_BUS_CHOICES) expect(checkSuccessBus(bus)).toBeUndefined();
  });

  it("refuses anything else, naming the choices", () => {
    expect(checkSuccessBus("output")).toBe(
      'the success bus is "output"; allowed: "source", "source_bus", "output_bus"',
    );
  });
});
