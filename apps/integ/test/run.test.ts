import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { INTEG_TAG } from "../src/choreography-test.js";
import { readIntegManifest, resolveRegion, runIntegration, stackConflict } from "../src/run.js";
import { tempDir, tempRepo } from "./support.js";

describe("resolveRegion", () => {
  const profile = async () => "ap-south-1";
  it("takes secrets.json's region first: the stack is pinned there", async () => {
    expect(await resolveRegion({ region: "eu-west-1" }, { AWS_REGION: "us-east-1" }, profile)).toBe(
      "eu-west-1",
    );
  });
  it("then AWS_REGION, AWS_DEFAULT_REGION, the profile's", async () => {
    const env = { AWS_REGION: "us-east-1", AWS_DEFAULT_REGION: "us-west-2" };
    expect(await resolveRegion(undefined, env, profile)).toBe("us-east-1");
    expect(await resolveRegion(undefined, { AWS_DEFAULT_REGION: "us-west-2" }, profile)).toBe(
      "us-west-2",
    );
    expect(await resolveRegion(undefined, {}, profile)).toBe("ap-south-1");
    expect(await resolveRegion(undefined, {}, async () => undefined)).toBeUndefined();
  });
});

describe("stackConflict", () => {
  const client = (answer: () => unknown) =>
    ({ send: async () => answer() }) as unknown as CloudFormationClient;

  it("sees none when the stack does not exist", async () => {
    const missing = client(() => {
      throw new Error("Stack with id EventBridgeServicesStack does not exist");
    });
    expect(await stackConflict(missing)).toBeUndefined();
  });

  it("sees none in a leftover of this test (tagged)", async () => {
    const leftover = client(() => ({
      Stacks: [
        { StackStatus: "CREATE_COMPLETE", Tags: [{ Key: INTEG_TAG.key, Value: INTEG_TAG.value }] },
      ],
    }));
    expect(await stackConflict(leftover)).toBeUndefined();
  });

  it("refuses a deployment that is not this test's: the test would destroy it", async () => {
    const real = client(() => ({ Stacks: [{ StackStatus: "UPDATE_COMPLETE", Tags: [] }] }));
    expect(await stackConflict(real)).toMatch(
      /^a stack named EventBridgeServicesStack \(UPDATE_COMPLETE\) already exists here and was not deployed by this test/,
    );
  });

  it("passes on other errors (no permission, expired credentials)", async () => {
    const denied = client(() => {
      throw new Error("User is not authorized to perform: cloudformation:DescribeStacks");
    });
    await expect(stackConflict(denied)).rejects.toThrow(/not authorized/);
  });
});

describe("readIntegManifest", () => {
  it("says what is missing", () => {
    const dir = tempDir("integ-manifest-");
    expect(() => readIntegManifest(dir)).toThrow(/integ\.json does not exist/);
    writeFileSync(join(dir, "integ.json"), JSON.stringify({ testCases: { A: { stacks: [] } } }));
    expect(() => readIntegManifest(dir)).toThrow(/test case A names no stacks/);
    writeFileSync(join(dir, "integ.json"), JSON.stringify({ testCases: {} }));
    expect(() => readIntegManifest(dir)).toThrow(/holds no test case/);
  });
});

describe("runIntegration", () => {
  it("refuses to test on imported buses (secrets.json existingBuses): it would put events on them", async () => {
    const repoRoot = tempRepo({
      secrets: {
        account: "123456789012",
        region: "eu-west-1",
        existingBuses: { source_bus: "prod" },
      },
    });
    const lines: string[] = [];
    const integDir = join(repoRoot, "apps", "integ");
    mkdirSync(integDir, { recursive: true });
    const code = await runIntegration({
      repoRoot,
      integDir,
      clean: true,
      env: {},
      log: (line) => lines.push(line),
    });
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^secrets\.json imports existing buses \(prod\): not testing/),
    ]);
  });
});
