import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { INTEG_TAG } from "./choreography-test.js";

/**
 * The deploy, assert and destroy cycle of integ-runner, with the CDK CLI this repository
 * deploys with. integ-runner 2.197.10 (the newest release) bundles a toolkit that reads cloud
 * assembly schema 53 at most, and aws-cdk-lib 2.276 writes 55: it stops with
 * AssemblyVersionMismatch before deploying anything. The test cases and assertion stacks are
 * still described by @aws-cdk/integ-tests-alpha (integ.json in the assembly), read here.
 */

/** One test case of the assembly's integ.json. */
export interface IntegCase {
  readonly id: string;
  /** The stacks under test, by name. */
  readonly stacks: readonly string[];
  readonly assertionStackName: string;
}

/** What integ-tests-alpha writes next to manifest.json. */
export function readIntegManifest(assemblyDir: string): IntegCase[] {
  const path = join(assemblyDir, "integ.json");
  if (!existsSync(path)) throw new Error(`${path} does not exist: the app defines no IntegTest`);
  const manifest = JSON.parse(readFileSync(path, "utf8")) as {
    testCases?: Record<string, { stacks?: string[]; assertionStackName?: string }>;
  };
  const cases = Object.entries(manifest.testCases ?? {}).map(([id, testCase]) => {
    if (!testCase.stacks?.length || !testCase.assertionStackName) {
      throw new Error(`${path}: test case ${id} names no stacks or no assertion stack`);
    }
    return { id, stacks: testCase.stacks, assertionStackName: testCase.assertionStackName };
  });
  if (cases.length === 0) throw new Error(`${path} holds no test case`);
  return cases;
}

export interface AssertionResult {
  /** The output's name: AssertionResults<assertion id>. */
  readonly id: string;
  readonly status: "success" | "fail";
  readonly message?: string;
}

/**
 * The results of an assertion stack, from `cdk deploy --outputs-file`: each assertion's
 * custom resource reports `{"status": "success"}` or `{"status": "fail", "message": ...}` in
 * an output named AssertionResults...; an assertion that waits (waitForAssertions) fails the
 * deployment instead when it times out.
 */
export function assertionResults(
  outputs: Record<string, Record<string, string>>,
  assertionStackName: string,
): AssertionResult[] {
  const stackOutputs = outputs[assertionStackName] ?? {};
  return Object.entries(stackOutputs)
    .filter(([key]) => key.startsWith("AssertionResults"))
    .map(([id, value]) => {
      let parsed: { status?: string; message?: string };
      try {
        parsed = JSON.parse(value) as typeof parsed;
      } catch {
        return { id, status: "fail" as const, message: `unreadable result: ${value}` };
      }
      return parsed.status === "success"
        ? { id, status: "success" as const }
        : { id, status: "fail" as const, message: parsed.message ?? value };
    });
}

/** The parts of secrets.json that decide where and on what the test runs. */
export interface DeploymentTarget {
  readonly account?: string;
  readonly region?: string;
  readonly existingBuses?: Record<string, string>;
}

/** secrets.json, read leniently: the app itself validates it when it synthesizes. */
function readTarget(repoRoot: string): DeploymentTarget | undefined {
  const path = join(repoRoot, "secrets.json");
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as DeploymentTarget;
  } catch {
    return undefined;
  }
}

/**
 * The region to test in: secrets.json's (the stacks are pinned there), else AWS_REGION,
 * AWS_DEFAULT_REGION, else the profile's (as the SDK resolves it).
 */
export async function resolveRegion(
  target: DeploymentTarget | undefined,
  env: NodeJS.ProcessEnv,
  profileRegion: () => Promise<string | undefined>,
): Promise<string | undefined> {
  return target?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (await profileRegion());
}

/**
 * A reason not to deploy into this account and region, or undefined: a stack of one of these
 * names (the stacks the test deploys, replaces and destroys) that this test did not deploy
 * (it tags its own INTEG_TAG).
 */
export async function stackConflict(
  cloudFormation: CloudFormationClient,
  stackNames: readonly string[],
): Promise<string | undefined> {
  const others: string[] = [];
  for (const name of stackNames) {
    let stack: { Tags?: { Key?: string; Value?: string }[]; StackStatus?: string } | undefined;
    try {
      stack = (await cloudFormation.send(new DescribeStacksCommand({ StackName: name })))
        .Stacks?.[0];
    } catch (error) {
      if (/does not exist/.test((error as Error).message)) continue;
      throw error;
    }
    if (stack === undefined) continue;
    const ours = stack.Tags?.some(
      (tag) => tag.Key === INTEG_TAG.key && tag.Value === INTEG_TAG.value,
    );
    if (!ours) others.push(`${name} (${stack.StackStatus})`);
  }
  if (others.length === 0) return undefined;
  const found =
    others.length === 1
      ? `a stack named ${others[0]} already exists here and was not deployed by this test`
      : `stacks named ${others.join(", ")} already exist here and were not deployed by this test`;
  return `${found}: the test deploys the stacks ${stackNames.join(", ")} and destroys them afterwards, so it would replace and then delete that deployment. Run it in another region (AWS_REGION=...) or account`;
}

export interface RunOptions {
  readonly repoRoot: string;
  /** apps/integ: where cdk.json is and cdk.out goes. */
  readonly integDir: string;
  /** Destroy the stacks afterwards (false: keep them to look at; destroy by hand). */
  readonly clean: boolean;
  /** The environment of the CDK CLI runs. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
  /** Stand-ins (tests). @default a CloudFormation client of the SDK's default chain */
  readonly cloudFormation?: (region?: string) => CloudFormationClient;
  /** @default whether `docker info` succeeds */
  readonly hasDocker?: () => boolean;
  /** @default the repository's CDK CLI, output streamed */
  readonly cdk?: (args: string[], cwd: string, env: NodeJS.ProcessEnv) => Promise<number>;
}

/** Synthesizes, deploys, reads the assertion results and destroys. Returns the exit code. */
export async function runIntegration(options: RunOptions): Promise<number> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(`test:integ: ${line}`));
  const target = readTarget(options.repoRoot);

  if (target?.existingBuses && Object.keys(target.existingBuses).length > 0) {
    log(
      `secrets.json imports existing buses (${Object.values(target.existingBuses).join(", ")}): not testing, the test would put its events on them. Run it from a checkout whose secrets.json has no "existingBuses", or none`,
    );
    return 1;
  }

  const cloudFormationFor =
    options.cloudFormation ?? ((region?: string) => new CloudFormationClient({ region }));
  const hasDocker = options.hasDocker ?? dockerAnswers;
  const region = await resolveRegion(target, env, async () => {
    try {
      return await cloudFormationFor().config.region();
    } catch {
      return undefined;
    }
  });
  if (region === undefined) {
    log(
      'no region: set AWS_REGION (e.g. AWS_REGION=eu-west-1 pnpm test:integ), a region in your profile, or "region" in secrets.json',
    );
    return 1;
  }
  if (target?.region && env.AWS_REGION && env.AWS_REGION !== target.region) {
    log(
      `secrets.json pins the stacks to ${target.region}: testing there, not in AWS_REGION=${env.AWS_REGION}`,
    );
  }

  if (!hasDocker()) {
    log(
      "no Docker engine answers `docker info`: deploying builds each service's image, start Docker first",
    );
    return 1;
  }

  const childEnv = { ...env, AWS_REGION: region, BUILDX_NO_DEFAULT_ATTESTATIONS: "1" };
  const cdk = (args: string[]) => (options.cdk ?? runCdk)(args, options.integDir, childEnv);
  const assembly = join(options.integDir, "cdk.out");
  rmSync(assembly, { recursive: true, force: true });

  log(`synthesizing the integ app (apps/integ/cdk.out), region ${region}`);
  if ((await cdk(["synth", "--quiet"])) !== 0) return 1;
  const cases = readIntegManifest(assembly);
  // Every stack of every test case (the bus stack and the shard stacks), then the assertion
  // stacks. The CLI deploys them in dependency order, whatever the order here, and destroys
  // them in the reverse: each assertion stack first, as it imports from the others.
  const underTest = [...new Set(cases.flatMap((testCase) => testCase.stacks))];
  const stacks = [...underTest, ...cases.map((testCase) => testCase.assertionStackName)];

  let conflict: string | undefined;
  try {
    conflict = await stackConflict(cloudFormationFor(region), underTest);
  } catch (error) {
    log(
      `could not look for existing stacks named ${underTest.join(", ")} in ${region}: ${(error as Error).message}`,
    );
    return 1;
  }
  if (conflict !== undefined) {
    log(`not deploying to ${region}: ${conflict}`);
    return 1;
  }

  const outputsFile = join(assembly, "assertion-results.json");

  let code = 1;
  try {
    log(`deploying ${stacks.join(", ")} (images are built by Docker; 5-15 minutes)`);
    const deployed = await cdk([
      "deploy",
      "--app",
      assembly,
      "--require-approval",
      "never",
      "--outputs-file",
      outputsFile,
      ...stacks,
    ]);
    if (deployed !== 0) {
      log("deployment failed, see above (an assertion that waits fails it when it gives up)");
    } else {
      code = report(cases, outputsFile, log);
    }
  } finally {
    if (options.clean) {
      log(`destroying ${stacks.join(", ")}`);
      if ((await cdk(["destroy", "--app", assembly, "--force", ...stacks])) !== 0) {
        log(
          `destroy failed: clean up by hand with pnpm --filter @ebsvc/integ exec cdk destroy --app cdk.out --force ${stacks.join(" ")}`,
        );
        code = 1;
      }
    } else {
      log(
        `--no-clean: the stacks stay; destroy them with pnpm --filter @ebsvc/integ exec cdk destroy --app cdk.out --force ${stacks.join(" ")}`,
      );
    }
  }
  return code;
}

/** Prints each assertion's result; 0 when every one succeeded. */
function report(
  cases: readonly IntegCase[],
  outputsFile: string,
  log: (line: string) => void,
): number {
  if (!existsSync(outputsFile)) {
    log(`the deployment wrote no ${outputsFile}: no assertion results`);
    return 1;
  }
  const outputs = JSON.parse(readFileSync(outputsFile, "utf8")) as Record<
    string,
    Record<string, string>
  >;
  let failed = 0;
  let total = 0;
  for (const testCase of cases) {
    const results = assertionResults(outputs, testCase.assertionStackName);
    if (results.length === 0) {
      log(`${testCase.id}: no assertion results in ${outputsFile}`);
      failed++;
    }
    for (const result of results) {
      total++;
      if (result.status === "fail") failed++;
      log(
        `${result.status === "success" ? "ok  " : "FAIL"} ${testCase.id} ${result.id}${result.message ? `: ${result.message}` : ""}`,
      );
    }
  }
  log(`${total - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

function dockerAnswers(): boolean {
  const docker = spawnSync("docker", ["info"], { stdio: "ignore" });
  return !docker.error && docker.status === 0;
}

/** The repository's CDK CLI (aws-cdk 2.1148, which reads schema 55), output streamed. */
function runCdk(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  const cli = createRequire(import.meta.url).resolve("aws-cdk/bin/cdk");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
}
