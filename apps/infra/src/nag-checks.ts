import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type App, Validations } from "aws-cdk-lib";
import {
  FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT,
  VALIDATION_REPORT_FILE,
} from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";

/** Findings of the cdk-nag packs that no acknowledgement answers: synthesis stops on them. */
export class UnacknowledgedFindings extends Error {
  override readonly name = "UnacknowledgedFindings";
}

/**
 * The app's context for the checks: aws-cdk-lib only records the report in the assembly, and
 * `checkFindings` turns it into one readable line per finding (rather than aws-cdk-lib's
 * exception, whose text depends on how the app was started).
 */
export const NAG_CONTEXT = { [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false };

/** Runs cdk-nag's AwsSolutions and Serverless packs on every synthesis of the app. */
export function addNagChecks(app: App): void {
  // Verbose: each finding carries the rule's explanation, which says what to fix.
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
  );
}

/** The names the two packs report under: their findings stop synthesis. */
export const NAG_PACKS: ReadonlySet<string> = new Set(["AwsSolutions", "Serverless"]);

interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{
      ruleName: string;
      description: string;
      violatingConstructs: Array<{ constructPath: string }>;
    }>;
  }>;
}

/**
 * Throws UnacknowledgedFindings listing each cdk-nag finding of the synthesized assembly.
 * Other validation plugins (aws-cdk-lib's own template check) only warn, as they would
 * without this app's reporting.
 */
export function checkFindings(assemblyDirectory: string): void {
  const report = JSON.parse(
    readFileSync(join(assemblyDirectory, VALIDATION_REPORT_FILE), "utf8"),
  ) as ValidationReport;
  const lines = (nag: boolean) =>
    report.pluginReports
      .filter((plugin) => NAG_PACKS.has(plugin.pluginName) === nag)
      .flatMap((plugin) =>
        plugin.violations.flatMap((violation) =>
          violation.violatingConstructs.map(
            (construct) =>
              `${violation.ruleName} at ${construct.constructPath}: ${violation.description} (acknowledge as "${plugin.pluginName}::${violation.ruleName}")`,
          ),
        ),
      );
  for (const warning of lines(false)) console.error(`Warning: ${warning}`);
  const findings = lines(true);
  if (findings.length === 0) return;
  throw new UnacknowledgedFindings(
    [
      `cdk-nag: ${findings.length} unacknowledged finding${findings.length === 1 ? "" : "s"}. Fix each resource, or, where the design is right, acknowledge the rule on that resource with a specific reason: Validations.of(resource).acknowledge({ id, reason }).`,
      ...findings,
    ].join("\n"),
  );
}
