import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** The emulator a container runs behind, mounted read-only into it. */
export type ContainerEmulator =
  | { readonly kind: "rie"; readonly binary: string; readonly why: string }
  | { readonly kind: "ours"; readonly packageDir: string; readonly why: string };

/** Where AWS's docs put the official Runtime Interface Emulator, and the variable naming it. */
const RIE_VARIABLE = "AWS_LAMBDA_RIE";
export const RIE_DEFAULT_PATH = join(homedir(), ".aws-lambda-rie", "aws-lambda-rie");

/**
 * The official RIE when one is installed (the variable first, then AWS's documented place);
 * else our emulator, which serves concurrent invocations the RIE cannot.
 */
export function chooseContainerEmulator(
  env: NodeJS.ProcessEnv,
  emulatorPackageDir: string,
): ContainerEmulator {
  const named = env[RIE_VARIABLE];
  if (named) {
    if (!existsSync(named)) throw new Error(`${RIE_VARIABLE}=${named}: no such file`);
    return { kind: "rie", binary: named, why: `${RIE_VARIABLE} names ${named}` };
  }
  if (existsSync(RIE_DEFAULT_PATH)) {
    return { kind: "rie", binary: RIE_DEFAULT_PATH, why: `found ${RIE_DEFAULT_PATH}` };
  }
  return {
    kind: "ours",
    packageDir: emulatorPackageDir,
    why: `no official RIE (set ${RIE_VARIABLE} or install it at ${RIE_DEFAULT_PATH})`,
  };
}

export interface ContainerRunOptions {
  readonly name: string;
  readonly image: string;
  /** The image's own Entrypoint + Cmd: what the emulator starts inside the container. */
  readonly command: string[];
  readonly handler: string;
  readonly workdir: string;
  readonly port: number;
  readonly functionName: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly concurrency: number;
  readonly emulator: ContainerEmulator;
}

/** `docker run` arguments: the image behind an emulator on port 8080, published on `port`. */
export function containerRunArgs(options: ContainerRunOptions): string[] {
  const common = [
    "run",
    "--rm",
    "--name",
    options.name,
    "--publish",
    `127.0.0.1:${options.port}:8080`,
    "--env",
    `AWS_LAMBDA_FUNCTION_NAME=${options.functionName}`,
    "--env",
    `AWS_LAMBDA_FUNCTION_TIMEOUT=${options.timeoutSeconds}`,
    "--env",
    `AWS_LAMBDA_FUNCTION_MEMORY_SIZE=${options.memorySize}`,
    "--env",
    `_HANDLER=${options.handler}`,
  ];
  const { emulator } = options;
  if (emulator.kind === "rie") {
    return [
      ...common,
      "--volume",
      `${dirname(emulator.binary)}:/aws-lambda:ro`,
      "--entrypoint",
      `/aws-lambda/${emulator.binary.split("/").at(-1)}`,
      options.image,
      ...options.command,
    ];
  }
  return [
    ...common,
    "--volume",
    `${emulator.packageDir}:/opt/lambda-emulator:ro`,
    "--entrypoint",
    "node",
    options.image,
    "/opt/lambda-emulator/dist/cli.js",
    "--host",
    "0.0.0.0",
    "--port",
    "8080",
    "--timeout",
    String(options.timeoutSeconds),
    "--concurrency",
    String(options.concurrency),
    "--memory",
    String(options.memorySize),
    "--function-name",
    options.functionName,
    "--task-root",
    options.workdir,
    "--handler",
    options.handler,
    "--",
    ...options.command,
  ];
}
