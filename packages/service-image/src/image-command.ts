import { readFileSync } from "node:fs";
import { DockerfileParser, type Instruction, type JSONInstruction } from "dockerfile-ast";
import { ImageCommandError } from "./image-error.js";

/** How the service's image starts its runtime: the single source of truth is its Dockerfile. */
export interface ImageCommand {
  /** ENTRYPOINT then CMD of the final stage, e.g. ["node", ".../index.mjs", "index.handler"]. */
  readonly command: string[];
  /** The handler: the last word of the command, as Lambda and the RIE take it. */
  readonly handler: string;
  /** WORKDIR of the final stage: where the bundle is copied, Lambda's task root. */
  readonly workdir: string;
}

/** Reads ENTRYPOINT, CMD and WORKDIR of the Dockerfile's final stage (exec form only). */
export function readImageCommand(
  dockerfilePath: string,
  displayPath = dockerfilePath,
): ImageCommand {
  const dockerfile = DockerfileParser.parse(readFileSync(dockerfilePath, "utf8"));
  const lastFrom = dockerfile.getFROMs().at(-1);
  const stage = lastFrom ? dockerfile.getContainingImage(lastFrom.getRange().start) : null;
  if (!stage) throw new ImageCommandError(`${displayPath}: no FROM instruction; not a Dockerfile`);

  const words = (instruction: Instruction | undefined, name: string): string[] => {
    if (!instruction) return [];
    const strings = (instruction as JSONInstruction).getJSONStrings?.() ?? [];
    if (strings.length === 0) {
      const line = instruction.getRange().start.line + 1;
      throw new ImageCommandError(
        `${displayPath}:${line}: ${name} must use the exec (JSON array) form, e.g. ${name} ["node", "/opt/runtime/node_modules/aws-lambda-ric/index.mjs"]`,
      );
    }
    return strings.map((argument) => argument.getJSONValue());
  };
  const command = [
    ...words(stage.getENTRYPOINTs().at(-1), "ENTRYPOINT"),
    ...words(stage.getCMDs().at(-1), "CMD"),
  ];
  const handler = command.at(-1);
  if (command.length < 2 || handler === undefined) {
    throw new ImageCommandError(
      `${displayPath}: the final stage needs an ENTRYPOINT starting the runtime client and a CMD naming the handler, e.g. CMD ["index.handler"]`,
    );
  }
  const workdir =
    stage
      .getInstructions()
      .filter((instruction) => instruction.getKeyword() === "WORKDIR")
      .at(-1)
      ?.getArgumentsContent()
      ?.trim() ?? "/";
  return { command, handler, workdir };
}
