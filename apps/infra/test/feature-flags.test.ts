import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const cdkLib = dirname(require.resolve("aws-cdk-lib/package.json"));
type Flag = { recommendedValue: unknown; unconfiguredBehavesLike?: { v2?: unknown } };
const { FLAGS } = require(join(cdkLib, "cx-api", "lib", "features.js")) as {
  FLAGS: Record<string, Flag>;
};
const context: Record<string, unknown> = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "cdk.json"), "utf8"),
).context;

describe("cdk.json's feature flags", () => {
  // The CDK CLI warns "N feature flags are not configured" on every synth for each flag left
  // unset whose default differs from the recommended value (cdk flags --unstable=flags).
  it("leaves none unconfigured that the CDK CLI would warn about", () => {
    const unconfigured = Object.entries(FLAGS)
      .filter(([name]) => context[name] === undefined)
      .filter(
        ([, flag]) =>
          JSON.stringify(flag.unconfiguredBehavesLike?.v2 ?? false) !==
          JSON.stringify(flag.recommendedValue),
      )
      .map(([name]) => name);
    // The CLI passes over three obsolete flags.
    expect(
      unconfigured.filter(
        (name) =>
          ![
            "@aws-cdk/core:enableStackNameDuplicates",
            "@aws-cdk/aws-s3:grantWriteWithoutAcl",
            "@aws-cdk/aws-kms:defaultKeyPolicies",
          ].includes(name),
      ),
    ).toEqual([]);
  });

  it("keeps the defaults where a recommendation would change the app or its integ test", () => {
    // enableAdditionalMetadataCollection adds analytics metadata (the app reports no version
    // either); minimizePolicies reorders the execution roles' X-Ray actions; explicitStackTags
    // drops the stack tags the integ runner tells its own deployments by; "weak" cross-stack
    // references turn the integ assertion stack's imports into Fn::GetStackOutput;
    // validateAgainstDefaultRules would fail the synth of a deployment that imports both buses
    // (secrets.json existingBuses), whose bus stack is then empty (CloudFormation F0001).
    expect(context["@aws-cdk/core:enableAdditionalMetadataCollection"]).toBe(false);
    expect(context["@aws-cdk/aws-iam:minimizePolicies"]).toBe(false);
    expect(context["@aws-cdk/core:explicitStackTags"]).toBe(false);
    expect(context["@aws-cdk/core:defaultCrossStackReferences"]).toBe("strong");
    expect(context["@aws-cdk/core:validateAgainstDefaultRules"]).toBe(false);
  });
});
