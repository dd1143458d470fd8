import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AssemblyError } from "../src/assembly-error.js";
import { readModel } from "../src/read-model.js";
import { ACCOUNT, REGION, synthFixtureApp } from "./fixture-app.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Writes a hand-made cloud assembly: stack name → template (and nested templates by file). */
function assembly(
  stacks: Record<string, object>,
  files: Record<string, object> = {},
  environment = `aws://${ACCOUNT}/${REGION}`,
): string {
  const dir = mkdtempSync(join(tmpdir(), "local-cloud-assembly-"));
  folders.push(dir);
  const artifacts: Record<string, object> = {};
  for (const [name, template] of Object.entries(stacks)) {
    writeFileSync(join(dir, `${name}.template.json`), JSON.stringify(template));
    artifacts[name] = {
      type: "aws:cloudformation:stack",
      environment,
      properties: { templateFile: `${name}.template.json` },
    };
  }
  for (const [file, template] of Object.entries(files)) {
    writeFileSync(join(dir, file), JSON.stringify(template));
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "55.0.0", artifacts }));
  return dir;
}

describe("readModel on the synthesized fixture app", () => {
  it("finds the buses, rules, functions, invoke configs and queues the construct made", () => {
    const dir = synthFixtureApp();
    folders.push(dirname(dir));
    const model = readModel(dir);
    expect(model.place).toEqual({ account: ACCOUNT, region: REGION });
    expect(model.environmentAgnostic).toBe(false);
    expect(model.buses.map((bus) => [bus.name, bus.created])).toEqual([
      ["default", false],
      ["source_bus", true],
      ["output_bus", true],
    ]);
    const steady = model.functions.find((fn) => fn.service?.id === "steady");
    expect(steady).toMatchObject({
      timeoutSeconds: 2,
      memorySize: 512,
      aliases: { live: "1" },
      service: { id: "steady", directory: expect.stringMatching(/services\/steady$/) },
    });
    const rule = model.rules.find(
      (r) => r.pattern && JSON.stringify(r.pattern) === '{"source":["steady"]}',
    );
    expect(rule).toMatchObject({
      busName: "source_bus",
      enabled: true,
      targets: [
        {
          arn: `${steady?.arn}:live`,
          maximumRetryAttempts: 0,
          maximumEventAgeSeconds: 60,
          deadLetterArn: expect.stringMatching(/^arn:aws:sqs:eu-west-1:111122223333:/),
        },
      ],
    });
    expect(rule?.arn).toBe(`arn:aws:events:${REGION}:${ACCOUNT}:rule/source_bus/${rule?.name}`);
    expect(model.invokeConfigs.find((c) => c.functionName === steady?.name)).toEqual({
      functionName: steady?.name,
      qualifier: "live",
      maximumRetryAttempts: 2,
      maximumEventAgeSeconds: 21_600,
      onSuccess: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/output_bus`,
      onFailure: rule?.targets[0]?.deadLetterArn,
    });
    const dlq = model.queues.find((q) => q.arn === rule?.targets[0]?.deadLetterArn);
    expect(dlq).toMatchObject({ retentionSeconds: 1_209_600, visibilityTimeoutSeconds: 30 });
    expect(dlq?.url).toBe(`https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${dlq?.name}`);
  });

  it("gives the same names on every read", () => {
    const dir = synthFixtureApp();
    folders.push(dirname(dir));
    expect(readModel(dir)).toEqual(readModel(dir));
  });
});

describe("readModel on hand-made templates", () => {
  it("resolves intrinsics, nested stack parameters and outputs, and exports", () => {
    const dir = assembly(
      {
        Shared: {
          Resources: { Bus: { Type: "AWS::Events::EventBus", Properties: { Name: "shared" } } },
          Outputs: {
            BusArn: { Value: { "Fn::GetAtt": ["Bus", "Arn"] }, Export: { Name: "SharedBusArn" } },
          },
        },
        Parent: {
          Resources: {
            Child: {
              Type: "AWS::CloudFormation::Stack",
              Metadata: { "aws:asset:path": "child.nested.template.json" },
              Properties: { Parameters: { BusArn: { "Fn::ImportValue": "SharedBusArn" } } },
            },
            Rule: {
              Type: "AWS::Events::Rule",
              Properties: {
                Name: "forward",
                EventBusName: {
                  "Fn::Select": [1, { "Fn::Split": ["/", { "Fn::ImportValue": "SharedBusArn" }] }],
                },
                EventPattern: '{"source":["a"]}',
                Targets: [{ Id: "q", Arn: { "Fn::GetAtt": ["Child", "Outputs.QueueArn"] } }],
              },
            },
          },
        },
      },
      {
        "child.nested.template.json": {
          Parameters: { BusArn: { Type: "String" } },
          Resources: {
            Queue: {
              Type: "AWS::SQS::Queue",
              // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
              Properties: { QueueName: { "Fn::Sub": "${AWS::Region}-q-${!Literal}" } },
            },
            Rule: {
              Type: "AWS::Events::Rule",
              Properties: {
                EventBusName: { Ref: "BusArn" },
                EventPattern: { source: ["b"] },
                State: "DISABLED",
                Targets: [
                  {
                    Id: "t",
                    Arn: {
                      "Fn::Join": [
                        "",
                        [
                          "arn:aws:sqs:",
                          { Ref: "AWS::Region" },
                          ":",
                          { Ref: "AWS::AccountId" },
                          ":imported",
                        ],
                      ],
                    },
                  },
                ],
              },
            },
          },
          Outputs: { QueueArn: { Value: { "Fn::GetAtt": ["Queue", "Arn"] } } },
        },
      },
    );
    const model = readModel(dir);
    expect(model.queues.map((q) => q.name)).toEqual([`${REGION}-q-\${Literal}`]);
    const [child, forward] = [
      model.rules.find((r) => !r.enabled),
      model.rules.find((r) => r.name === "forward"),
    ];
    expect(child).toMatchObject({
      busName: "shared",
      pattern: { source: ["b"] },
      targets: [
        {
          arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:imported`,
          maximumRetryAttempts: 185,
          maximumEventAgeSeconds: 86_400,
        },
      ],
    });
    expect(forward).toMatchObject({
      busName: "shared",
      pattern: { source: ["a"] },
      targets: [{ arn: model.queues[0]?.arn }],
    });
  });

  it("reads a nested stack whose parameters refer to a sibling declared after it", () => {
    const dir = assembly(
      {
        Parent: {
          Resources: {
            Downstream: {
              Type: "AWS::CloudFormation::Stack",
              Metadata: { "aws:asset:path": "down.nested.template.json" },
              Properties: {
                Parameters: { Upstream: { "Fn::GetAtt": ["Upstream", "Outputs.QueueName"] } },
              },
            },
            Upstream: {
              Type: "AWS::CloudFormation::Stack",
              Metadata: { "aws:asset:path": "up.nested.template.json" },
            },
          },
        },
      },
      {
        "up.nested.template.json": {
          Resources: { Queue: { Type: "AWS::SQS::Queue", Properties: { QueueName: "up" } } },
          Outputs: { QueueName: { Value: { "Fn::GetAtt": ["Queue", "QueueName"] } } },
        },
        "down.nested.template.json": {
          Parameters: { Upstream: { Type: "String" } },
          Resources: {
            Queue: {
              Type: "AWS::SQS::Queue",
              // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
              Properties: { QueueName: { "Fn::Sub": "after-${Upstream}" } },
            },
          },
        },
      },
    );
    expect(
      readModel(dir)
        .queues.map((q) => q.name)
        .sort(),
    ).toEqual(["after-up", "up"]);
  });

  it("gives imported buses a local twin, and the account's default bus", () => {
    const dir = assembly({
      App: {
        Resources: {
          Rule: {
            Type: "AWS::Events::Rule",
            Properties: {
              EventBusName: "existing-bus",
              EventPattern: { source: ["x"] },
              Targets: [
                { Id: "b", Arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/other-existing` },
              ],
            },
          },
        },
      },
    });
    expect(readModel(dir).buses.map((bus) => [bus.name, bus.created])).toEqual([
      ["default", false],
      ["existing-bus", false],
      ["other-existing", false],
    ]);
  });

  it("reads targets' Input, InputPath and InputTransformer, schedules and queue size limits", () => {
    const dir = assembly({
      App: {
        Resources: {
          Nightly: {
            Type: "AWS::Events::Rule",
            Properties: {
              ScheduleExpression: "cron(0 2 * * ? *)",
              Targets: [
                { Id: "constant", Arn: "arn:aws:sqs:eu-west-1:111122223333:q", Input: '{"a":1}' },
                { Id: "path", Arn: "arn:aws:sqs:eu-west-1:111122223333:q", InputPath: "$.detail" },
                {
                  Id: "transformer",
                  Arn: "arn:aws:sqs:eu-west-1:111122223333:q",
                  InputTransformer: {
                    InputPathsMap: { state: "$.detail.state" },
                    InputTemplate: '"state: <state>"',
                  },
                },
              ],
            },
          },
          Big: { Type: "AWS::SQS::Queue", Properties: { MaximumMessageSize: 1_048_576 } },
          Small: { Type: "AWS::SQS::Queue", Properties: {} },
        },
      },
    });
    const model = readModel(dir);
    expect(model.warnings).toEqual([]);
    const [rule] = model.rules;
    expect(rule?.schedule).toBe("cron(0 2 * * ? *)");
    expect(rule?.pattern).toBeUndefined();
    expect(
      rule?.targets.map(({ input, inputPath, inputTransformer }) => ({
        input,
        inputPath,
        inputTransformer,
      })),
    ).toEqual([
      { input: '{"a":1}', inputPath: undefined, inputTransformer: undefined },
      { input: undefined, inputPath: "$.detail", inputTransformer: undefined },
      {
        input: undefined,
        inputPath: undefined,
        inputTransformer: {
          inputPathsMap: { state: "$.detail.state" },
          inputTemplate: '"state: <state>"',
        },
      },
    ]);
    expect(model.queues.map((queue) => queue.maximumMessageSizeBytes)).toEqual([
      1_048_576, 262_144,
    ]);
  });

  it("refuses an InputTransformer without a template, naming the target", () => {
    const dir = assembly({
      App: {
        Resources: {
          Rule: {
            Type: "AWS::Events::Rule",
            Properties: {
              EventPattern: { source: ["x"] },
              Targets: [
                { Id: "t", Arn: "arn:aws:sqs:eu-west-1:111122223333:q", InputTransformer: {} },
              ],
            },
          },
        },
      },
    });
    expect(() => readModel(dir)).toThrow(
      "App.template.json: Rule target t: InputTransformer.InputTemplate is not a string",
    );
  });

  it("places an environment-agnostic assembly in the fallback account and region", () => {
    const dir = assembly({ App: { Resources: {} } }, {}, "aws://unknown-account/unknown-region");
    const model = readModel(dir, { account: "000000000000", region: "us-east-1" });
    expect(model.place).toEqual({ account: "000000000000", region: "us-east-1" });
    expect(model.environmentAgnostic).toBe(true);
  });

  it("names the file and the place of what it cannot resolve", () => {
    const dir = assembly({
      App: {
        Resources: {
          Rule: {
            Type: "AWS::Events::Rule",
            Properties: { EventPattern: { source: ["x"] }, EventBusName: { Ref: "Missing" } },
          },
        },
      },
    });
    expect(() => readModel(dir)).toThrow(AssemblyError);
    expect(() => readModel(dir)).toThrow(
      "App.template.json: Rule.EventBusName: refers to Missing, which does not exist",
    );
  });

  it("says how to make an assembly when there is none", () => {
    const dir = mkdtempSync(join(tmpdir(), "local-cloud-empty-"));
    folders.push(dir);
    expect(() => readModel(dir)).toThrow(
      new AssemblyError(
        `${join(dir, "manifest.json")} does not exist: synthesize the app first (pnpm synth), or pass the folder of a cloud assembly`,
      ),
    );
    expect(() => readModel(join(dir, "no-such-folder"))).toThrow(/does not exist: synthesize/);
  });

  it("refuses a manifest that is not JSON in one line naming it, without quoting the file", () => {
    const dir = assembly({ App: { Resources: {} } });
    writeFileSync(
      join(dir, "manifest.json"),
      `{"version": "55.0.0", "artifacts": {${"x".repeat(5000)}`,
    );
    const error = catchError(() => readModel(dir));
    expect(error).toBeInstanceOf(AssemblyError);
    expect(error.message).toMatch(
      new RegExp(
        `^${literally(join(dir, "manifest.json"))} cannot be read as a cloud assembly \\(.*JSON.*\\): synthesize the app again \\(pnpm synth\\), or pass the folder of a cloud assembly$`,
      ),
    );
    expect(error.message).not.toContain("\n");
    expect(error.message.length).toBeLessThan(400);
  });

  it("refuses a manifest of a newer schema than the CDK library reads, saying which", () => {
    const dir = assembly({ App: { Resources: {} } });
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "99.0.0", artifacts: {} }));
    expect(() => readModel(dir)).toThrow(
      /manifest.json cannot be read as a cloud assembly \(Cloud assembly schema version mismatch: Maximum schema version supported is 55.x.x, but found 99.0.0\)/,
    );
  });

  it("refuses a stack without a template, and a template that is not JSON, naming them", () => {
    const dir = assembly({ App: { Resources: {} } });
    writeFileSync(
      join(dir, "manifest.json"),
      JSON.stringify({
        version: "55.0.0",
        artifacts: { App: { type: "aws:cloudformation:stack", environment: "aws://1/r" } },
      }),
    );
    expect(() => readModel(dir)).toThrow(
      /manifest.json cannot be read as a cloud assembly \(Invalid CloudFormation stack artifact. Missing "templateFile"/,
    );
    const broken = assembly({ App: { Resources: {} } });
    writeFileSync(join(broken, "App.template.json"), "{ not json");
    expect(() => readModel(broken)).toThrow(
      new RegExp(`^${literally(join(broken, "App.template.json"))}: cannot be read as JSON \\(`),
    );
  });

  it("refuses an assembly without stacks", () => {
    const dir = assembly({});
    expect(() => readModel(dir)).toThrow(
      `${join(dir, "manifest.json")}: the assembly has no stacks`,
    );
  });
});

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
