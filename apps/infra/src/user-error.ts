import { ConfigError } from "./config-error.js";
import { UnacknowledgedFindings } from "./nag-checks.js";

/**
 * Runs an entry point's work. A mistake the user can fix (a configuration error, a cdk-nag
 * finding) prints its message alone and sets exit code 1; anything else is a bug and keeps
 * its stack trace.
 */
export function reportUserErrors(work: () => void): void {
  try {
    work();
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof UnacknowledgedFindings)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
