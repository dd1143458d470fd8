import { join } from "node:path";
import { CloudAssembly, MANIFEST_FILE } from "@aws-cdk/cloud-assembly-api";
import { AssemblyError } from "./assembly-error.js";

/**
 * The cloud assembly in `dir`, read by the CDK's own library. What it throws for a missing or
 * broken manifest becomes one line naming the file and what to do.
 */
export function openAssembly(dir: string): CloudAssembly {
  const manifest = join(dir, MANIFEST_FILE);
  try {
    return new CloudAssembly(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new AssemblyError(
        `${manifest} does not exist: synthesize the app first (pnpm synth), or pass the folder of a cloud assembly`,
      );
    }
    throw new AssemblyError(
      `${manifest} cannot be read as a cloud assembly (${reason(error)}): synthesize the app again (pnpm synth), or pass the folder of a cloud assembly`,
    );
  }
}

/** The library's message, on one line and without the whole file it quotes after a JSON error. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split(", while parsing ")[0]?.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
