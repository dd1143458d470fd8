import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config-error.js";
import { loadSecrets } from "../src/secrets.js";
import { REPO_ROOT, tempDir, writeSecrets } from "./support/temp-repo.js";

function load(secrets: unknown) {
  const root = tempDir("secrets-");
  writeSecrets(root, secrets);
  return () => loadSecrets(join(root, "secrets.json"));
}

describe("secrets.json", () => {
  it("is optional: no file means an environment-agnostic stack", () => {
    expect(loadSecrets(join(tempDir("secrets-"), "secrets.json"))).toBeUndefined();
  });

  it("takes an alarm topic of its own account and region", () => {
    const secrets = {
      account: "123456789012",
      region: "cn-north-1",
      alarmTopicArn: "arn:aws-cn:sns:cn-north-1:123456789012:operators.fifo",
    };
    expect(load(secrets)()).toEqual(secrets);
  });

  it("gives the account, the region and existing buses", () => {
    expect(
      load({
        account: "123456789012",
        region: "ap-southeast-2",
        existingBuses: { output_bus: "results" },
      })(),
    ).toEqual({
      account: "123456789012",
      region: "ap-southeast-2",
      existingBuses: { output_bus: "results" },
    });
  });

  const mistakes: Array<[string, unknown, RegExp]> = [
    ["not JSON", "{account: 1", /secrets\.json: not valid JSON \(.*\); create it from the example/],
    ["an empty file", "", /secrets\.json: not valid JSON \(.*\); create it from the example/],
    ["null", "null", /secrets\.json: the file is null; expected: an object such as/],
    [
      "not an object",
      "[1]",
      /secrets\.json: the file is \[1\]; expected: an object such as \{"account"/,
    ],
    [
      "a short account",
      { account: "1234", region: "eu-west-1" },
      /secrets\.json: account is "1234"; expected: the 12-digit AWS account id/,
    ],
    [
      "a numeric account",
      { account: 123456789012, region: "eu-west-1" },
      /account is 123456789012; expected: the 12-digit AWS account id, as a string/,
    ],
    [
      "no account",
      { region: "eu-west-1" },
      /secrets\.json: account is missing; expected: the 12-digit/,
    ],
    [
      "a made-up region",
      { account: "123456789012", region: "europe" },
      /region is "europe"; expected: an AWS region, one of af-south-1, ap-east-1, .*, eu-west-1, .*, us-west-2$/,
    ],
    [
      "a misspelt region, naming the regions like it",
      { account: "123456789012", region: "eu-wset-1" },
      /region is "eu-wset-1"; expected: an AWS region, one of eu-central-1, eu-central-2, eu-isoe-west-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3$/,
    ],
    [
      "a region shaped right that does not exist",
      { account: "123456789012", region: "eu-west-9" },
      /region is "eu-west-9"; expected: an AWS region, one of eu-central-1/,
    ],
    [
      "a numeric region",
      { account: "123456789012", region: 1 },
      /region is 1; expected: an AWS region name such as "eu-west-1", as a string/,
    ],
    [
      "an alarm topic that is no ARN",
      { account: "123456789012", region: "eu-west-1", alarmTopicArn: "operators" },
      /secrets\.json: alarmTopicArn is "operators"; expected: the ARN of an SNS topic, arn:<partition>:sns:<region>:<account>:<topic name>/,
    ],
    [
      "an alarm topic ARN of another service",
      {
        account: "123456789012",
        region: "eu-west-1",
        alarmTopicArn: "arn:aws:sqs:eu-west-1:123456789012:operators",
      },
      /alarmTopicArn is "arn:aws:sqs:eu-west-1:123456789012:operators"; expected: the ARN of an SNS topic/,
    ],
    [
      "an alarm topic in another region",
      {
        account: "123456789012",
        region: "eu-west-1",
        alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:operators",
      },
      /alarmTopicArn is "arn:aws:sns:us-east-1:123456789012:operators"; expected: a topic in the account and region of this file, arn:aws:sns:eu-west-1:123456789012:<topic name>/,
    ],
    [
      "an alarm topic in another account",
      {
        account: "123456789012",
        region: "eu-west-1",
        alarmTopicArn: "arn:aws:sns:eu-west-1:210987654321:operators",
      },
      /expected: a topic in the account and region of this file, arn:aws:sns:eu-west-1:123456789012:<topic name>/,
    ],
    [
      "an alarm topic in another partition",
      {
        account: "123456789012",
        region: "cn-north-1",
        alarmTopicArn: "arn:aws:sns:cn-north-1:123456789012:operators",
      },
      /expected: a topic in the account and region of this file, arn:aws-cn:sns:cn-north-1:123456789012:<topic name>/,
    ],
    [
      "a numeric alarm topic",
      { account: "123456789012", region: "eu-west-1", alarmTopicArn: 7 },
      /alarmTopicArn is 7; expected: the ARN of an SNS topic/,
    ],
    ["no region", { account: "123456789012" }, /region is missing/],
    [
      "an unknown field",
      { account: "123456789012", region: "eu-west-1", acount: "x" },
      /secrets\.json: acount: not a known field; allowed fields: account, region, existingBuses, alarmTopicArn/,
    ],
    [
      "an unknown bus",
      { account: "123456789012", region: "eu-west-1", existingBuses: { other_bus: "x" } },
      /existingBuses\.other_bus/,
    ],
    [
      "a bad bus name",
      { account: "123456789012", region: "eu-west-1", existingBuses: { source_bus: "my bus" } },
      /existingBuses\.source_bus is "my bus"; expected: the name of an existing EventBridge bus/,
    ],
  ];
  it.each(mistakes)(
    "rejects %s with a message naming the file, the field and what is expected",
    (_what, secrets, message) => {
      const attempt = load(secrets);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(message);
    },
  );

  it("takes a file that starts with a UTF-8 byte-order mark, as some editors save it", () => {
    const secrets = { account: "123456789012", region: "eu-west-1" };
    expect(load(`\uFEFF${JSON.stringify(secrets)}`)()).toEqual(secrets);
  });

  it("refuses a directory named secrets.json in one line, naming it", () => {
    const root = tempDir("secrets-");
    mkdirSync(join(root, "secrets.json"));
    const attempt = () => loadSecrets(join(root, "secrets.json"));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /^\S*secrets\.json: is a directory, not a file; remove it and create it/,
    );
  });

  it("reports every problem at once", () => {
    expect(load({ account: "1", region: "x" })).toThrow(/account is "1".*\n.*region is "x"/);
  });

  it("does not compare the alarm topic with an account that is itself wrong", () => {
    const attempt = load({
      account: "1",
      region: "eu-west-1",
      alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:operators",
    });
    expect(attempt).toThrow(
      /^\S*secrets\.json: account is "1"; expected: the 12-digit AWS account id, as a string$/,
    );
  });
});

describe("turbo run synth", () => {
  // Turborepo hashes an empty directory named secrets.json as no file at all, so a cached
  // environment-agnostic synth would be replayed over it: the check runs uncached first.
  it("checks secrets.json and the services on every run, cache or not", () => {
    const result = spawnSync(
      "pnpm",
      ["exec", "turbo", "run", "synth", "--filter=@ebsvc/infra", "--dry=json"],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    expect(result.status, result.stderr).toBe(0);
    const tasks = JSON.parse(result.stdout).tasks as Array<{
      taskId: string;
      command: string;
      dependencies: string[];
      resolvedTaskDefinition: { cache: boolean };
    }>;
    const task = (id: string) => tasks.find((t) => t.taskId === id);
    expect(task("@ebsvc/infra#synth")?.dependencies).toContain("@ebsvc/infra#check-config");
    expect(task("@ebsvc/infra#check-config")?.resolvedTaskDefinition.cache).toBe(false);
    expect(task("@ebsvc/infra#check-config")?.command).toBe("node dist/check-config.js");
  });
});
