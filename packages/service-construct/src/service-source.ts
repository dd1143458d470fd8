import { relative } from "node:path";
import { SERVICE_SOURCE_METADATA, type ServiceSource } from "@ebsvc/service-contract";
import { type CfnResource, Stage } from "aws-cdk-lib";
import type { Construct } from "constructs";

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
