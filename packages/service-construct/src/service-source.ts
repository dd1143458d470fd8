import { relative } from "node:path";
import { type CfnResource, Stage } from "aws-cdk-lib";
import type { Construct } from "constructs";

/** Template metadata key naming the service a function was built from. */
export const SERVICE_SOURCE_METADATA = "ebsvc:service";

/** What the metadata holds: enough for local tools to run the function from its folder. */
export interface ServiceSource {
  readonly id: string;
  /** The service folder, relative to the cloud assembly folder (no checkout path). */
  readonly directory: string;
}

/**
 * Records on the function's template resource which service folder it came from, so tools
 * that read the cloud assembly (the local environment) can run it, with no list kept by hand.
 */
export function recordServiceSource(fn: Construct, id: string, serviceDirectory: string): void {
  const outdir = Stage.of(fn)?.outdir;
  const directory = (outdir ? relative(outdir, serviceDirectory) : serviceDirectory)
    .split("\\")
    .join("/");
  const source: ServiceSource = { id, directory };
  (fn.node.defaultChild as CfnResource).addMetadata(SERVICE_SOURCE_METADATA, source);
}
