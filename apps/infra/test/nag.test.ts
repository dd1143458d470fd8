import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type App,
  type CfnElement,
  type IPolicyValidationContext,
  type Stack,
  Validations,
} from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp, STACK_NAME, synthesize } from "../src/app.js";
import { ConfigError } from "../src/config-error.js";
import { NAG_PACKS, UnacknowledgedFindings } from "../src/nag-checks.js";
import { shardOf, shardStackName } from "../src/service-shard.js";
import type { EventBridgeServicesStack } from "../src/services-stack.js";
import { reportUserErrors } from "../src/user-error.js";
import { writeAssembly } from "../src/write-assembly.js";
import { EXAMPLE_SERVICES, tempDir, tempRepo } from "./support/temp-repo.js";

function app(outdir = tempDir("nag-")): App {
  return createApp({ repoRoot: tempRepo(), outdir, onEnvironmentAgnostic: () => {} });
}

/** The app with one queue nobody looked at: no TLS policy, no redrive, no acknowledgement. */
function appWithFinding(outdir?: string): App {
  const withFinding = app(outdir);
  new sqs.Queue(withFinding.node.findChild(STACK_NAME) as Stack, "Unchecked");
  return withFinding;
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe("cdk-nag in every synthesis of the app", () => {
  it("runs the AwsSolutions and Serverless packs and finds nothing unacknowledged", () => {
    const assembly = synthesize(app());
    const report = JSON.parse(
      readFileSync(join(assembly.directory, "validation-report.json"), "utf8"),
    );
    expect(report.pluginReports.map((plugin: { pluginName: string }) => plugin.pluginName)).toEqual(
      [...NAG_PACKS],
    );
    for (const plugin of report.pluginReports) expect(plugin.violations).toEqual([]);
  });

  it("records each acknowledgement with its resource and its reason in the assembly", () => {
    const assembly = synthesize(app());
    const report = JSON.parse(
      readFileSync(join(assembly.directory, "validation-report.json"), "utf8"),
    );
    const acknowledged = report.pluginReports.flatMap(
      (plugin: {
        suppressedViolations: Array<{
          acknowledgedId: string;
          reason: string;
          violatingConstructs: Array<{ constructPath: string }>;
        }>;
      }) =>
        plugin.suppressedViolations.map((violation) => ({
          id: violation.acknowledgedId,
          path: violation.violatingConstructs[0]?.constructPath,
          reason: violation.reason,
        })),
    );
    const paths = acknowledged.map(
      (entry: { id: string; path: string }) => `${entry.id} ${entry.path}`,
    );
    for (const id of EXAMPLE_SERVICES) {
      const base = `${shardStackName(STACK_NAME, shardOf(id))}/${id}/${id}`;
      expect(paths).toEqual(
        expect.arrayContaining([
          `AwsSolutions::AwsSolutions-SQS3 ${base}/DeadLetterQueue/Resource`,
          `AwsSolutions::AwsSolutions-IAM5[Resource::*] ${base}/ServiceRole/Resource`,
          `Serverless::Serverless-SQSRedrivePolicy ${base}/DeadLetterQueue/Resource`,
          `Serverless::Serverless-LambdaDLQ ${base}/Function/Resource`,
          `Serverless::Serverless-LambdaStarPermissions ${base}/ServiceRole/Resource`,
        ]),
      );
    }
    expect(acknowledged).toHaveLength(5 * EXAMPLE_SERVICES.length);
    for (const entry of acknowledged) expect(entry.reason.length).toBeGreaterThan(40);
  });

  it("fails on a new finding with one line per finding: rule, resource path, what to fix", () => {
    let failure: unknown;
    try {
      synthesize(appWithFinding());
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(UnacknowledgedFindings);
    const [summary, ...findings] = (failure as Error).message.split("\n");
    expect(summary).toBe(
      "cdk-nag: 3 unacknowledged findings. Fix each resource, or, where the design is right, acknowledge the rule on that resource with a specific reason: Validations.of(resource).acknowledge({ id, reason }).",
    );
    expect(findings).toEqual([
      expect.stringMatching(
        /^AwsSolutions-SQS3 at EventBridgeServicesStack\/Unchecked\/Resource: The SQS queue is not used as a dead-letter queue \(DLQ\) and does not have a DLQ enabled\. .+ \(acknowledge as "AwsSolutions::AwsSolutions-SQS3"\)$/,
      ),
      expect.stringMatching(
        /^AwsSolutions-SQS4 at EventBridgeServicesStack\/Unchecked\/Resource: The SQS queue does not require requests to use SSL\. .+ \(acknowledge as "AwsSolutions::AwsSolutions-SQS4"\)$/,
      ),
      expect.stringMatching(
        /^Serverless-SQSRedrivePolicy at EventBridgeServicesStack\/Unchecked\/Resource: .+ \(acknowledge as "Serverless::Serverless-SQSRedrivePolicy"\)$/,
      ),
    ]);
  });

  it("prints what other validation plugins report as warnings, without stopping", () => {
    const withOther = app();
    const stack = withOther.node.findChild(STACK_NAME) as EventBridgeServicesStack;
    const bus = stack.getLogicalId(stack.buses.source_bus.node.defaultChild as CfnElement);
    Validations.of(withOther).addPlugins({
      name: "TemplateCheck",
      validate: (context: IPolicyValidationContext) => ({
        success: false,
        violations: [
          {
            ruleName: "E3001",
            description: "An example template problem.",
            severity: "warning",
            violatingResources: [
              {
                resourceLogicalId: bus,
                templatePath: context.templatePaths[0] as string,
                locations: [`Resources/${bus}`],
              },
            ],
          },
        ],
      }),
    });
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    synthesize(withOther);
    expect(printed.mock.calls).toEqual([
      [
        'Warning: E3001 at EventBridgeServicesStack/SourceBus/Resource: An example template problem. (acknowledge as "TemplateCheck::E3001")',
      ],
    ]);
  });

  it("leaves the output folder as it was when a finding stops synthesis", () => {
    const outdir = tempDir("cdk-out-");
    writeFileSync(join(outdir, "manifest.json"), "the previous assembly");
    expect(() =>
      writeAssembly(outdir, (staging) => {
        synthesize(appWithFinding(staging));
      }),
    ).toThrow(UnacknowledgedFindings);
    expect(readdirSync(outdir)).toEqual(["manifest.json"]);
    expect(readFileSync(join(outdir, "manifest.json"), "utf8")).toBe("the previous assembly");
    // Nor is a staging folder left beside it.
    expect(readdirSync(join(outdir, "..")).filter((name) => name.includes(".staging-"))).toEqual(
      [],
    );
  });
});

describe("reportUserErrors (the entry points' error handling)", () => {
  it.each([
    [
      "a cdk-nag finding",
      new UnacknowledgedFindings("cdk-nag: 1 unacknowledged finding.\nX at Y: Z"),
    ],
    ["a configuration error", new ConfigError("secrets.json: account is missing")],
  ])("prints %s alone, without a stack trace, and sets exit code 1", (_what, error) => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    reportUserErrors(() => {
      throw error;
    });
    expect(printed.mock.calls).toEqual([[error.message]]);
    expect(process.exitCode).toBe(1);
  });

  it("lets anything else through with its stack: it is a bug", () => {
    const bug = new TypeError("undefined is not a function");
    expect(() =>
      reportUserErrors(() => {
        throw bug;
      }),
    ).toThrow(bug);
    expect(process.exitCode).toBeUndefined();
  });
});
