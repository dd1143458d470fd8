import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "aws-cdk-lib/assertions";
import { createApp, STACK_NAME, synthesize } from "../../src/app.js";
import type { EventBridgeServicesStack } from "../../src/services-stack.js";
import { tempDir } from "./temp-repo.js";

/** Synthesizes (and checks) the app of a repository root into a fresh folder. */
export function synthRepo(repoRoot: string) {
  const outdir = tempDir("cdk-out-");
  const app = createApp({ repoRoot, outdir, onEnvironmentAgnostic: () => {} });
  const assembly = synthesize(app);
  const stack = app.node.findChild(STACK_NAME) as EventBridgeServicesStack;
  return {
    outdir,
    assembly,
    stack,
    template: Template.fromStack(stack),
    serviceTemplate: (id: string) => {
      const nested = stack.services[id];
      if (!nested) throw new Error(`no service ${id}`);
      return Template.fromStack(nested);
    },
    /** Docker image assets of the stack, by hash. */
    imageAssets: (): Record<string, { displayName: string; source: Record<string, unknown> }> =>
      JSON.parse(readFileSync(join(outdir, `${STACK_NAME}.assets.json`), "utf8")).dockerImages,
  };
}
