import { resolve } from "node:path";
import { createApp, synthesize } from "./app.js";
import { reportUserErrors } from "./user-error.js";
import { writeAssembly } from "./write-assembly.js";

// The CDK CLI runs this file (cdk.json "app") with CDK_OUTDIR set. The assembly is written
// whole or not at all: a bad configuration or an unacknowledged cdk-nag finding leaves the
// output folder as it was.
const repoRoot = resolve(import.meta.dirname, "..", "..", "..");
const outdir = process.env.CDK_OUTDIR ?? resolve(import.meta.dirname, "..", "cdk.out");

reportUserErrors(() =>
  writeAssembly(outdir, (staging) => {
    synthesize(createApp({ repoRoot, outdir: staging }));
  }),
);
