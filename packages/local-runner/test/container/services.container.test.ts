import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { bundleService } from "@ebsvc/service-image";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dockerEngine } from "../../src/docker.js";
import { runLocal } from "../../src/run-local.js";
import { copyService } from "../service-copy.js";
import { freePort } from "../support.js";

// The container tier: every service's real image, built from a base image made on this
// machine (no registry is reachable here: see .ci/make-base-image.sh), answering through the
// container exactly as it does on the host. Each runs from a bundled copy of its folder:
// the services' own `bundle` tasks own their dist/, so this package's tests never write there.
const repoRoot = resolve(import.meta.dirname, "..", "..", "..", "..");
const engine = dockerEngine();
if (!engine.reachable) {
  console.warn(
    `Container tier skipped: ${engine.reason}. Start one with: bash .ci/start-docker.sh`,
  );
}

const LOCAL_BASE = "local/node-base:bookworm";
const imageExists = (tag: string) =>
  spawnSync("docker", ["image", "inspect", tag], { stdio: "ignore" }).status === 0;
const baseImage =
  process.env.BASE_IMAGE || (engine.reachable && imageExists(LOCAL_BASE) ? LOCAL_BASE : undefined);

const services = readdirSync(join(repoRoot, "services")).filter((id) => {
  const manifest = join(repoRoot, "services", id, "package.json");
  return existsSync(manifest) && "service" in JSON.parse(readFileSync(manifest, "utf8"));
});

/** A copy of services/<id>, bundled, removed after the file's tests. */
function bundledCopy(id: string): () => string {
  let copy: ReturnType<typeof copyService> | undefined;
  beforeAll(async () => {
    copy = copyService(id);
    await bundleService(copy.dir);
  }, 60_000);
  afterAll(() => copy?.remove());
  return () => {
    if (!copy) throw new Error(`services/${id} was not copied`);
    return copy.dir;
  };
}

function invoke(url: string, body: string) {
  return fetch(`${url}/2015-03-31/functions/function/invocations`, { method: "POST", body });
}

describe.skipIf(!engine.reachable).each(services)("service %s in its container", (id) => {
  const serviceDir = bundledCopy(id);

  it("answers the seed's contract through the container, concurrently too, and leaves nothing running", async () => {
    let output = "";
    const sink = new PassThrough();
    sink.on("data", (chunk) => {
      output += chunk;
    });
    const port = await freePort();
    let mode = "";
    const running = await runLocal({
      serviceDir: serviceDir(),
      mode: "docker",
      port,
      baseImage,
      output: sink,
      onMode: (description) => {
        mode = description;
      },
    });
    try {
      expect(running.mode).toBe("docker");
      expect(mode).toMatch(/^in Docker \(Docker engine .* answers\): the image behind/);

      const response = await invoke(running.url, '{"message": "Hello World"}');
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('{"statusCode":200,"reponse":"Hello Lambda"}');

      const bodies = await Promise.all(
        Array.from({ length: 8 }, (_, n) =>
          invoke(running.url, JSON.stringify({ n })).then((r) => r.text()),
        ),
      );
      expect(bodies).toEqual(Array(8).fill('{"statusCode":200,"reponse":"Hello Lambda"}'));
      await new Promise((done) => setTimeout(done, 300));
      expect(output).toContain('Hello AWS! event = {"message":"Hello World"}');
      for (let n = 0; n < 8; n++) expect(output).toContain(`Hello AWS! event = {"n":${n}}`);
    } finally {
      await running.stop();
    }
    const left = spawnSync(
      "docker",
      ["ps", "--all", "--quiet", "--filter", `name=ebsvc-local-${id}-${process.pid}`],
      {
        encoding: "utf8",
      },
    );
    expect(left.stdout.trim()).toBe("");
    await expect(invoke(running.url, "{}")).rejects.toThrow();
    // The first run builds the image: aws-lambda-ric compiles in it, about 1.5 min cold here.
  }, 600_000);

  it("holds only Node, the runtime client and the bundle, started by node directly", () => {
    const image = `ebsvc-local/${id}:latest`;
    const config = JSON.parse(
      spawnSync("docker", ["image", "inspect", "--format", "{{json .Config}}", image], {
        encoding: "utf8",
      }).stdout,
    );
    expect(config.Entrypoint).toEqual([
      "node",
      "/opt/runtime/node_modules/aws-lambda-ric/index.mjs",
    ]);
    expect(config.Cmd).toEqual(["index.handler"]);
    const look = spawnSync(
      "docker",
      [
        "run",
        "--rm",
        "--entrypoint",
        "sh",
        image,
        "-c",
        "ls -A /var/task; echo ---; ls -A /opt/runtime/node_modules /opt/runtime/node_modules/aws-lambda-ric; echo ---; for t in g++ gcc cmake make python3; do command -v $t; done; true",
      ],
      { encoding: "utf8" },
    );
    const [task, runtime, tools] = look.stdout.split("---\n");
    expect(task?.trim().split("\n")).toEqual(["index.mjs"]);
    expect(runtime).toContain("aws-lambda-ric");
    expect(runtime).toMatch(/index\.mjs\npackage\.json\nrapid-client\.node/);
    expect(tools?.trim()).toBe("");
  });
});

describe.skipIf(!engine.reachable)("auto mode with an engine that cannot build the image", () => {
  const serviceDir = bundledCopy(services[0] as string);
  it("runs the service on the host instead and says why", async () => {
    const descriptions: string[] = [];
    const running = await runLocal({
      serviceDir: serviceDir(),
      port: await freePort(),
      baseImage: "local/no-such-base:none",
      output: new PassThrough(),
      onMode: (description) => descriptions.push(description),
    });
    try {
      expect(running.mode).toBe("host");
      expect(descriptions.at(-1)).toMatch(
        /^on the host behind lambda-emulator instead, since docker build failed \(exit \d+\).*pass --base-image, or --mode docker/,
      );
      const response = await invoke(running.url, '{"message": "Hello World"}');
      expect(await response.text()).toBe('{"statusCode":200,"reponse":"Hello Lambda"}');
    } finally {
      await running.stop();
    }
  });

  it("stops with the build's failure when Docker was asked for", async () => {
    await expect(
      runLocal({
        serviceDir: serviceDir(),
        mode: "docker",
        port: await freePort(),
        baseImage: "local/no-such-base:none",
        output: new PassThrough(),
      }),
    ).rejects.toThrow(/docker build failed/);
  });
});
