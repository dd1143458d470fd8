import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { STACK_NAME } from "../src/app.js";
import { SHARD_COUNT, shardOf, shardStackName } from "../src/service-shard.js";
import { type Synth, synthRepo } from "./support/synth.js";
import { addService, EXAMPLE_SERVICES, tempRepo } from "./support/temp-repo.js";

interface CfnTemplate {
  Resources: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
  Parameters?: Record<string, unknown>;
}

describe("120 services", () => {
  const count = 120;
  const ids = Array.from({ length: count }, (_, i) => `service-${String(i + 1).padStart(3, "0")}`);
  let synth: Synth;
  beforeAll(() => {
    // Each a full copy of backtosource (11 files, its bundle included) beside the examples.
    const root = tempRepo();
    for (const id of ids) addService(root, id, { successBus: "output_bus" });
    const started = performance.now();
    synth = synthRepo(root);
    const seconds = (performance.now() - started) / 1000;
    console.info(`${synth.serviceIds.length} services synthesized in ${seconds.toFixed(1)} s`);
  });

  it("synthesizes every one of them, with its function and rule, in its shard", () => {
    expect(synth.serviceIds).toEqual([...ids, ...EXAMPLE_SERVICES].sort());
    for (const id of ids) {
      const template = synth.serviceTemplate(id);
      template.resourceCountIs("AWS::Lambda::Function", 1);
      template.resourceCountIs("AWS::Events::Rule", 1);
      template.hasResourceProperties("AWS::Events::Rule", { EventPattern: { source: [id] } });
      expect(synth.shardOfService(id).stackName).toBe(shardStackName(STACK_NAME, shardOf(id)));
    }
    expect(synth.shardStacks).toHaveLength(SHARD_COUNT);
  });

  it("keeps every template within CloudFormation's limits", () => {
    const templates = readdirSync(synth.outdir).filter((file) => file.endsWith(".template.json"));
    // The bus stack, 8 shard stacks, one nested stack per service.
    expect(templates).toHaveLength(1 + SHARD_COUNT + count + EXAMPLE_SERVICES.length);
    for (const file of templates) {
      const path = join(synth.outdir, file);
      const template = JSON.parse(readFileSync(path, "utf8")) as CfnTemplate;
      expect(Object.keys(template.Resources).length, file).toBeLessThanOrEqual(500);
      expect(Object.keys(template.Outputs ?? {}).length, file).toBeLessThanOrEqual(200);
      expect(Object.keys(template.Parameters ?? {}).length, file).toBeLessThanOrEqual(200);
      // Templates go to CloudFormation through S3: at most 1 MB each.
      expect(statSync(path).size, file).toBeLessThanOrEqual(1_000_000);
    }
  });
});
