import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { CHECKOUT_ROOT, tempDir } from "./temp-repos.js";

/**
 * Synthesizes the checkout's own app with the CDK CLI, as `pnpm synth` does, but into a
 * temporary folder: tests read the real app without writing into apps/infra/cdk.out, which
 * another suite may be synthesizing or reading at the same moment. The app must be built
 * (declare @ebsvc/infra as a devDependency so turbo builds it first). Returns the folder.
 */
export function synthCheckoutApp(): string {
  const outdir = tempDir("checkout-app-");
  const result = spawnSync("pnpm", ["exec", "cdk", "synth", "--quiet", "--output", outdir], {
    cwd: join(CHECKOUT_ROOT, "apps", "infra"),
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(
      `cdk synth of the checkout's app failed (exit ${result.status}): ${result.stderr}`,
    );
  }
  return outdir;
}
