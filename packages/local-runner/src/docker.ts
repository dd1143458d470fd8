import { spawn, spawnSync } from "node:child_process";
import { UsageError } from "./usage-error.js";

/** Whether a Docker engine answers, and if not, why: the mode choice prints it. */
export function dockerEngine(): { reachable: boolean; reason: string } {
  const info = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], {
    encoding: "utf8",
    timeout: 15_000,
  });
  if (info.error && (info.error as NodeJS.ErrnoException).code === "ENOENT") {
    return { reachable: false, reason: "the docker command is not installed" };
  }
  if (info.status !== 0 || info.error) {
    const detail = (info.stderr || String(info.error ?? "")).trim().split("\n").at(-1);
    return { reachable: false, reason: `no Docker engine answers (docker info: ${detail})` };
  }
  return { reachable: true, reason: `Docker engine ${info.stdout.trim()} answers` };
}

/** Runs a docker command to completion, its output going to ours; rejects on failure. */
export function docker(
  args: string[],
  output: NodeJS.WritableStream = process.stderr,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("docker", args, { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(output, { end: false });
    child.stderr.pipe(output, { end: false });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new UsageError(`docker ${args[0]} failed (exit ${code}); its output is above`)),
    );
  });
}

/** The start command an image was built with: its Entrypoint, Cmd and WorkingDir. */
export function imageConfig(tag: string): { entrypoint: string[]; cmd: string[]; workdir: string } {
  const inspect = spawnSync("docker", ["image", "inspect", "--format", "{{json .Config}}", tag], {
    encoding: "utf8",
  });
  if (inspect.status !== 0)
    throw new Error(`docker image inspect ${tag}: ${inspect.stderr.trim()}`);
  const config = JSON.parse(inspect.stdout) as {
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
  };
  return {
    entrypoint: config.Entrypoint ?? [],
    cmd: config.Cmd ?? [],
    workdir: config.WorkingDir || "/",
  };
}

/** Removes a container, whatever state it is in; quiet when it is already gone. */
export function removeContainer(name: string): void {
  spawnSync("docker", ["rm", "--force", name], { stdio: "ignore" });
}
