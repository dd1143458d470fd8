import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, relative } from "node:path";
import type { ImageCommand } from "./image-command.js";
import { ImageCommandError } from "./image-error.js";

/** What the image's command becomes on the host: the same runtime client, handler and bundle. */
export interface HostCommand {
  readonly command: string[];
  readonly handler: string;
  /** The bundle folder: what the image copies into its WORKDIR. */
  readonly taskRoot: string;
}

/**
 * Maps the image's command onto the service folder: `node` is this Node.js, a path under
 * `node_modules/` is the same package installed for the service, and the handler stays.
 */
export function toHostCommand(image: ImageCommand, serviceDir: string): HostCommand {
  const requireFromService = createRequire(join(serviceDir, "package.json"));
  const command = image.command.map((word, index) => {
    if (index === 0 && (word === "node" || word.endsWith("/node"))) return process.execPath;
    const inPackage = word.match(/(?:^|\/)node_modules\/(.+)$/)?.[1];
    if (inPackage === undefined) {
      if (isAbsolute(word) && !existsSync(word)) {
        throw new ImageCommandError(
          `the image runs ${word}, which has no counterpart on the host: keep what the command runs under a node_modules/ folder in the image (as the example Dockerfile does), so the host resolves it from the service's dependencies`,
        );
      }
      return word;
    }
    try {
      return requireFromService.resolve(inPackage);
    } catch {
      const packageName = inPackage.startsWith("@")
        ? inPackage.split("/").slice(0, 2).join("/")
        : inPackage.split("/")[0];
      throw new ImageCommandError(
        `${relative(process.cwd(), serviceDir) || "."}: the image runs ${word}, but ${inPackage} is not installed for the service: add ${packageName} to its dependencies and run pnpm install`,
      );
    }
  });
  const taskRoot = join(serviceDir, "dist");
  if (!existsSync(taskRoot)) {
    throw new ImageCommandError(
      `${taskRoot} does not exist: bundle the service first (pnpm run bundle)`,
    );
  }
  return { command, handler: image.handler, taskRoot };
}
