import { Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { tempDir, tempRepo } from "./support/temp-repo.js";

describe("cdk-nag", () => {
  it("finds nothing unacknowledged in the app (AwsSolutions and Serverless packs)", () => {
    const app = createApp({
      repoRoot: tempRepo(),
      outdir: tempDir("nag-"),
      onEnvironmentAgnostic: () => {},
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    // Unacknowledged findings fail synthesis with the report as the message.
    expect(() => app.synth()).not.toThrow();
  });
});
