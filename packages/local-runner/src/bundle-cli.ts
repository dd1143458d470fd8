#!/usr/bin/env node
import { resolve } from "node:path";
import { BundleError, bundleService } from "@ebsvc/service-image";

// A service's `bundle` script: node node_modules/@ebsvc/local-runner/dist/bundle-cli.js
// bundles the service in the current folder (or the one given) with the shared options.
const serviceDir = resolve(process.argv[2] ?? ".");
bundleService(serviceDir).catch((error: unknown) => {
  const message = error instanceof BundleError ? error.message : String(error);
  process.stderr.write(`bundle: ${message}\n`);
  process.exit(1);
});
