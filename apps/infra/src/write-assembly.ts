import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes a cloud assembly so that `outdir` only ever holds a complete one: `write` synthesizes
 * into a staging folder beside it, and only once it returns does the staged assembly replace
 * what `outdir` held (stale files of an earlier synth included). When `write` throws, `outdir`
 * is left exactly as it was. The CDK CLI's own files there (its lock files, and the files it
 * names in CDK_ERROR_FILE and CDK_PERF_COUNTERS_FILE) are kept.
 */
export function writeAssembly(outdir: string, write: (stagingDirectory: string) => void): void {
  mkdirSync(dirname(outdir), { recursive: true });
  // Beside outdir, so each entry moves into it with a rename, on the same file system.
  const staging = mkdtempSync(join(dirname(outdir), `.${basename(outdir)}.staging-`));
  try {
    write(staging);
    mkdirSync(outdir, { recursive: true });
    const cliFiles = new Set(
      [process.env.CDK_ERROR_FILE, process.env.CDK_PERF_COUNTERS_FILE]
        .filter((file): file is string => Boolean(file))
        .map((file) => basename(file)),
    );
    for (const entry of readdirSync(outdir)) {
      if (entry.endsWith(".lock") || cliFiles.has(entry)) continue;
      rmSync(join(outdir, entry), { recursive: true, force: true });
    }
    for (const entry of readdirSync(staging)) renameSync(join(staging, entry), join(outdir, entry));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
