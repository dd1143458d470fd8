import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { STACK_NAME } from "@ebsvc/infra";
import { beforeAll, describe, expect, it } from "vitest";
import { ASSERTION_STACK_NAME, INTEG_TAG } from "../src/choreography-test.js";
import { readIntegManifest, resolveRegion, runIntegration, stackConflict } from "../src/run.js";
import { describing, synthIntegApp, tempDir, tempRepo, UNDER_TEST } from "./support.js";

const _CDK_CLI = createRequire(import.meta.url).resolve("aws-cdk/bin/cdk");

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

const OURS = [{ Key: INTEG_TAG.key, Value: INTEG_TAG.value }];

/** A CloudFormation that has no stack of the names asked for. */
const missing = () => describing({}).client;

describe("stackConflict", () => {
  it("sees none when no stack of these names exists, having asked for each", async () => {
    const { client, asked } = describing({});
    expect(await stackConflict(client, UNDER_TEST)).toBeUndefined();
    expect(asked).toEqual(UNDER_TEST);
  });

  it("sees none in leftovers of this test (tagged)", async () => {
    const { client } = describing({
      [STACK_NAME]: { StackStatus: "CREATE_COMPLETE", Tags: OURS },
      [`${STACK_NAME}-Services3`]: { StackStatus: "UPDATE_ROLLBACK_COMPLETE", Tags: OURS },
    });
    expect(await stackConflict(client, UNDER_TEST)).toBeUndefined();
  });

  it("refuses a deployment that is not this test's: the test would destroy it", async () => {
    const { client } = describing({ [STACK_NAME]: { StackStatus: "UPDATE_COMPLETE", Tags: [] } });
    expect(await stackConflict(client, UNDER_TEST)).toBe(
      `a stack named EventBridgeServicesStack (UPDATE_COMPLETE) already exists here and was not deployed by this test: the test deploys the stacks ${UNDER_TEST.join(", ")} and destroys them afterwards, so it would replace and then delete that deployment. Run it in another region (AWS_REGION=...) or account`,
    );
  });

  it("looks at every stack under test, not only the bus stack: a shard stack of another deployment", async () => {
    const { client } = describing({
      [STACK_NAME]: { StackStatus: "CREATE_COMPLETE", Tags: OURS },
      [`${STACK_NAME}-Services2`]: { StackStatus: "CREATE_COMPLETE" },
      [`${STACK_NAME}-Services3`]: { StackStatus: "UPDATE_COMPLETE", Tags: [] },
    });
    expect(await stackConflict(client, UNDER_TEST)).toMatch(
      /^stacks named EventBridgeServicesStack-Services2 \(CREATE_COMPLETE\), EventBridgeServicesStack-Services3 \(UPDATE_COMPLETE\) already exist here and were not deployed by this test: /,
    );
  });

  it("passes on other errors (no permission, expired credentials)", async () => {
    const denied = {
      send: async () => {
        throw new Error("User is not authorized to perform: cloudformation:DescribeStacks");
      },
    } as unknown as CloudFormationClient;
    await expect(stackConflict(denied, UNDER_TEST)).rejects.toThrow(/not authorized/);
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

describe("runIntegration's cycle", () => {
  let assemblyOf: string;
  beforeAll(() => {
    assemblyOf = synthIntegApp(tempRepo()).outdir;
  });

  /** A CDK CLI stand-in: synth copies a synthesized integ app, deploy writes these outputs. */
  function fakeCdk(answers: { outputs?: unknown; deploy?: number; destroy?: number } = {}) {
    const calls: { args: string[]; env: NodeJS.ProcessEnv }[] = [];
    const cdk = async (args: string[], cwd: string, env: NodeJS.ProcessEnv) => {
      calls.push({ args, env });
      if (args[0] === "synth") cpSync(assemblyOf, join(cwd, "cdk.out"), { recursive: true });
      if (args[0] === "deploy") {
        const file = args[args.indexOf("--outputs-file") + 1] as string;
        if (answers.outputs) writeFileSync(file, JSON.stringify(answers.outputs));
        return answers.deploy ?? 0;
      }
      return args[0] === "destroy" ? (answers.destroy ?? 0) : 0;
    };
    return { cdk, calls };
  }

  async function runWith(
    cdk: ReturnType<typeof fakeCdk>["cdk"],
    more: { clean?: boolean; cloudFormation?: () => CloudFormationClient } = {},
  ) {
    const lines: string[] = [];
    const integDir = tempDir("integ-dir-");
    const code = await runIntegration({
      repoRoot: tempRepo(),
      integDir,
      clean: more.clean ?? true,
      env: { AWS_REGION: "eu-west-1" },
      log: (line) => lines.push(line),
      cloudFormation: more.cloudFormation ?? missing,
      hasDocker: () => true,
      cdk,
    });
    return { code, lines, assembly: join(integDir, "cdk.out") };
  }

  const passed = {
    [ASSERTION_STACK_NAME]: {
      AssertionResultsSend: '{"status":"success"}',
      AssertionResultsReceive: '{"status":"success"}',
    },
  };

  it("synthesizes, deploys every stack, reports the assertions and destroys, with the CLI", async () => {
    const { cdk, calls } = fakeCdk({ outputs: passed });
    const { code, lines, assembly } = await runWith(cdk);
    expect(code).toBe(0);
    // Every stack under test and the assertion stack: the CLI orders them by dependency.
    const stacks = [...UNDER_TEST, ASSERTION_STACK_NAME];
    expect(calls.map((call) => call.args)).toEqual([
      ["synth", "--quiet"],
      [
        "deploy",
        "--app",
        assembly,
        "--require-approval",
        "never",
        "--outputs-file",
        join(assembly, "assertion-results.json"),
        ...stacks,
      ],
      ["destroy", "--app", assembly, "--force", ...stacks],
    ]);
    for (const { env } of calls) {
      expect(env).toMatchObject({ AWS_REGION: "eu-west-1", BUILDX_NO_DEFAULT_ATTESTATIONS: "1" });
    }
    expect(lines.slice(-4)).toEqual([
      "ok   ChoreographyInteg/DefaultTest AssertionResultsSend",
      "ok   ChoreographyInteg/DefaultTest AssertionResultsReceive",
      "2 passed, 0 failed",
      `destroying ${stacks.join(", ")}`,
    ]);
  });

  it("fails on a failed assertion, and still destroys", async () => {
    const { cdk, calls } = fakeCdk({
      outputs: {
        [ASSERTION_STACK_NAME]: {
          AssertionResultsSend: '{"status":"fail","message":"Expected 0 but received 1"}',
          AssertionResultsReceive: '{"status":"success"}',
        },
      },
    });
    const { code, lines } = await runWith(cdk);
    expect(code).toBe(1);
    expect(lines).toContain(
      "FAIL ChoreographyInteg/DefaultTest AssertionResultsSend: Expected 0 but received 1",
    );
    expect(lines).toContain("1 passed, 1 failed");
    expect(calls.at(-1)?.args[0]).toBe("destroy");
  });

  it("fails when the deployment fails (a waiter gave up), and still destroys", async () => {
    const { cdk, calls } = fakeCdk({ deploy: 1 });
    const { code, lines } = await runWith(cdk);
    expect(code).toBe(1);
    expect(lines).toContain(
      "deployment failed, see above (an assertion that waits fails it when it gives up)",
    );
    expect(calls.at(-1)?.args[0]).toBe("destroy");
  });

  it("fails when the destroy fails, saying how to clean up", async () => {
    const { cdk } = fakeCdk({ outputs: passed, destroy: 1 });
    const { code, lines } = await runWith(cdk);
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe(
      `destroy failed: clean up by hand with pnpm --filter @ebsvc/integ exec cdk destroy --app cdk.out --force ${[...UNDER_TEST, ASSERTION_STACK_NAME].join(" ")}`,
    );
  });

  it("keeps the stacks with --no-clean, saying how to destroy them", async () => {
    const { cdk, calls } = fakeCdk({ outputs: passed });
    const { code, lines } = await runWith(cdk, { clean: false });
    expect(code).toBe(0);
    expect(calls.map((call) => call.args[0])).toEqual(["synth", "deploy"]);
    expect(lines.at(-1)).toMatch(/^--no-clean: the stacks stay; destroy them with pnpm/);
  });

  it("deploys nothing next to a deployment that is not its own, whichever of the stacks it finds", async () => {
    const { cdk, calls } = fakeCdk();
    // A shard stack of a real deployment (the test's names come from the synthesized app).
    const { client, asked } = describing({
      [`${STACK_NAME}-Services3`]: { StackStatus: "CREATE_COMPLETE" },
    });
    const { code, lines } = await runWith(cdk, { cloudFormation: () => client });
    expect(code).toBe(1);
    expect(calls.map((call) => call.args)).toEqual([["synth", "--quiet"]]);
    expect(asked).toEqual(UNDER_TEST);
    expect(lines).toEqual([
      expect.stringMatching(/^synthesizing the integ app/),
      expect.stringMatching(
        /^not deploying to eu-west-1: a stack named EventBridgeServicesStack-Services3 \(CREATE_COMPLETE\) already exists here/,
      ),
    ]);
  });

  it("deploys nothing when it cannot look for the stacks", async () => {
    const { cdk, calls } = fakeCdk();
    const denied = () =>
      ({
        send: async () => {
          throw new Error("User is not authorized to perform: cloudformation:DescribeStacks");
        },
      }) as unknown as CloudFormationClient;
    const { code, lines } = await runWith(cdk, { cloudFormation: denied });
    expect(code).toBe(1);
    expect(calls.map((call) => call.args[0])).toEqual(["synth"]);
    expect(lines.at(-1)).toBe(
      `could not look for existing stacks named ${UNDER_TEST.join(", ")} in eu-west-1: User is not authorized to perform: cloudformation:DescribeStacks`,
    );
  });
});
