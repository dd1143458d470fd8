import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, relative } from "node:path";
import { type RunningEmulator, startEmulator } from "@ebsvc/lambda-emulator";
import {
  type HostCommand,
  ImageCommandError,
  LiveBundle,
  readImageCommand,
  sourceMappedNodeOptions,
  toHostCommand,
  watchServiceSources,
} from "@ebsvc/service-image";
import { chooseContainerEmulator, containerRunArgs } from "./container-emulator.js";
import { docker, dockerEngine, imageConfig, removeContainer } from "./docker.js";
import { readServiceFolder, type ServiceFolder } from "./service-folder.js";
import { UsageError } from "./usage-error.js";

export type Mode = "auto" | "docker" | "host";

export interface RunLocalOptions {
  readonly serviceDir: string;
  /** @default 9000 */
  readonly port?: number;
  /** @default the service's configured timeout (30 s unless its package.json says otherwise) */
  readonly timeoutSeconds?: number;
  /** Runtime processes at once in our emulator (the official RIE serves one). @default 4 */
  readonly concurrency?: number;
  /** @default "auto": Docker when an engine answers, else the host */
  readonly mode?: Mode;
  /** Base image for the build (BASE_IMAGE build argument). @default the Dockerfile's own */
  readonly baseImage?: string;
  /** Where logs go. @default process.stdout */
  readonly output?: NodeJS.WritableStream;
  /** Told, in words, which mode was chosen and why. */
  readonly onMode?: (description: string) => void;
  /**
   * On the host, re-bundle on every save under src/ and serve new invocations from the new
   * bundle (running ones finish on the old). Docker runs the image it built: no watching.
   * @default true
   */
  readonly watch?: boolean;
  /** Told of each reload or bundle error, in one line. */
  readonly onReload?: (message: string) => void;
  /** Runs the runtime under Node's inspector on this port (host only; one process, no timeout). */
  readonly inspectPort?: number;
}

export interface RunningService {
  readonly mode: "docker" | "host";
  readonly url: string;
  /** Whether saves under src/ re-bundle it (host runs of a service with sources). */
  readonly watching: boolean;
  /** Resolves when the service stops by itself (e.g. its container exits). */
  readonly exited: Promise<void>;
  /** Stops every process and container it started. */
  stop(): Promise<void>;
}

const emulatorPackageDir = dirname(
  dirname(createRequire(import.meta.url).resolve("@ebsvc/lambda-emulator")),
);

/** Serves a service behind the Lambda invoke API, in Docker or on the host. */
export async function runLocal(options: RunLocalOptions): Promise<RunningService> {
  const service = readServiceFolder(options.serviceDir);
  const settings = {
    port: options.port ?? 9000,
    timeoutSeconds: options.timeoutSeconds ?? service.timeoutSeconds,
    concurrency: options.concurrency ?? 4,
    output: options.output ?? process.stdout,
  };
  const tell = options.onMode ?? (() => {});
  const mode = options.mode ?? "auto";
  const host: HostSettings = {
    ...settings,
    watch: options.watch ?? true,
    onReload: options.onReload ?? (() => {}),
    inspectPort: options.inspectPort,
  };

  if (options.inspectPort !== undefined) {
    // The inspector is the host's node: a container's would need its port published too.
    if (mode === "docker") {
      throw new UsageError("--inspect debugs the runtime on the host; drop --mode docker");
    }
    tell("on the host behind lambda-emulator, since --inspect debugs the host's node");
    return runOnHost(service, host);
  }
  if (mode !== "host") {
    const engine = dockerEngine();
    if (engine.reachable) {
      try {
        return await runInDocker(service, { ...settings, baseImage: options.baseImage }, (why) =>
          tell(`in Docker (${engine.reason}): ${why}`),
        );
      } catch (error) {
        // An engine with no registry cannot pull the default base image: in auto mode the
        // service still runs, on the host, and the user is told why and how to insist.
        if (mode === "docker" || !(error instanceof ImageBuildError)) throw error;
        tell(
          `on the host behind lambda-emulator instead, since ${error.message} (a base image that cannot be pulled? pass --base-image, or --mode docker to stop here)`,
        );
        return runOnHost(service, host);
      }
    }
    if (mode === "docker") throw new UsageError(`cannot run in Docker: ${engine.reason}`);
    tell(`on the host behind lambda-emulator, since ${engine.reason}`);
  } else {
    tell("on the host behind lambda-emulator, as asked (--mode host)");
  }
  return runOnHost(service, host);
}

/** `docker build` failed: its output has been printed. */
class ImageBuildError extends UsageError {}

interface Settings {
  readonly port: number;
  readonly timeoutSeconds: number;
  readonly concurrency: number;
  readonly output: NodeJS.WritableStream;
}

interface HostSettings extends Settings {
  readonly watch: boolean;
  readonly onReload: (message: string) => void;
  readonly inspectPort?: number;
}

/** The image's command on the host; a Dockerfile it cannot read is the user's to fix. */
function hostCommandOf(service: ServiceFolder): HostCommand {
  try {
    const dockerfile = relative(process.cwd(), service.dockerfile);
    return toHostCommand(readImageCommand(service.dockerfile, dockerfile), service.directory);
  } catch (error) {
    if (error instanceof ImageCommandError) throw new UsageError(error.message);
    throw error;
  }
}

async function runOnHost(service: ServiceFolder, settings: HostSettings): Promise<RunningService> {
  const host = hostCommandOf(service);
  const emulator: RunningEmulator = await startEmulator({
    command: host.command,
    handler: host.handler,
    taskRoot: host.taskRoot,
    port: settings.port,
    timeoutSeconds: settings.timeoutSeconds,
    concurrency: settings.concurrency,
    memorySizeMb: service.memorySize,
    functionName: service.id,
    output: settings.output,
    environment: { NODE_OPTIONS: sourceMappedNodeOptions() },
    inspect: settings.inspectPort === undefined ? undefined : { port: settings.inspectPort },
  });
  const unwatched = {
    mode: "host",
    url: emulator.url,
    watching: false,
    exited: new Promise<void>(() => {}),
    stop: () => emulator.stop(),
  } as const;
  if (!settings.watch) return unwatched;
  const live = new LiveBundle(service.directory, (result) => {
    if (result.ok) {
      emulator.reload();
      settings.onReload(`reloaded ${service.id} (bundle ${Math.round(result.ms)} ms)`);
    } else {
      settings.onReload(
        `${service.id}: bundle failed, the previous code keeps serving: ${result.error}`,
      );
    }
  });
  const unwatch = watchServiceSources(service.directory, () => live.changed());
  if (!unwatch) return unwatched;
  // The first save is then bundled incrementally; a failure here shows again on that save.
  void live.prime().catch(() => {});
  return {
    mode: "host",
    url: emulator.url,
    watching: true,
    exited: new Promise(() => {}),
    stop: async () => {
      unwatch();
      await live.dispose();
      await emulator.stop();
    },
  };
}

async function runInDocker(
  service: ServiceFolder,
  settings: Settings & { baseImage?: string },
  tell: (why: string) => void,
): Promise<RunningService> {
  const emulator = chooseContainerEmulator(process.env, emulatorPackageDir);
  tell(
    emulator.kind === "rie"
      ? `the image behind the official RIE (${emulator.why})`
      : `the image behind lambda-emulator mounted into the container (${emulator.why})`,
  );
  const image = `ebsvc-local/${service.id}:latest`;
  const buildArgs = ["--build-arg", `RIC_VERSION=${service.runtimeClientVersion}`];
  if (settings.baseImage) buildArgs.push("--build-arg", `BASE_IMAGE=${settings.baseImage}`);
  try {
    await docker(["build", "--tag", image, ...buildArgs, service.directory]);
  } catch (error) {
    throw new ImageBuildError((error as Error).message);
  }

  // The image is the truth about how it starts: run what it was built with.
  const config = imageConfig(image);
  const command = [...config.entrypoint, ...config.cmd];
  const name = `ebsvc-local-${service.id}-${process.pid}`;
  const args = containerRunArgs({
    name,
    image,
    command,
    handler: command.at(-1) ?? "index.handler",
    workdir: config.workdir,
    port: settings.port,
    functionName: service.id,
    timeoutSeconds: settings.timeoutSeconds,
    memorySize: service.memorySize,
    concurrency: settings.concurrency,
    emulator,
  });
  const container = spawn("docker", args, { stdio: ["ignore", "pipe", "pipe"] });
  container.stdout.pipe(settings.output, { end: false });
  container.stderr.pipe(settings.output, { end: false });
  const exited = new Promise<void>((resolve) => container.on("close", () => resolve()));
  const stop = async () => {
    removeContainer(name);
    await exited;
  };
  const url = `http://127.0.0.1:${settings.port}`;
  try {
    await waitForHttp(url, exited);
  } catch (error) {
    await stop();
    throw error;
  }
  return { mode: "docker", url, watching: false, exited, stop };
}

/**
 * Resolves once the emulator in the container answers HTTP (any status will do): Docker's
 * port proxy accepts connections before the container listens, so a TCP connect proves nothing.
 */
async function waitForHttp(url: string, exited: Promise<void>, timeoutMs = 30_000): Promise<void> {
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ended) throw new Error("the container exited before it served anything");
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`nothing answered on ${url} within ${timeoutMs / 1000} s`);
}
