import { resolve } from "node:path";
import { buildChoreographyTest } from "./choreography-test.js";

// The integ app: integ-runner discovers it as dist/integ.choreography.js and runs it with node.
buildChoreographyTest({ repoRoot: resolve(import.meta.dirname, "..", "..", "..") }).app.synth();
