import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTEG_DIR, tempDir } from "./support.js";

const SCRIPT = join(INTEG_DIR, "bin", "run-integ.mjs");
const SKIPPED =
  'test:integ skipped: no AWS credentials found; set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to run it (see README "Integration test against AWS")';

/**
 * Runs bin/run-integ.mjs with only these variables (no AWS_* of this machine's), and HOME an
 * empty folder unless given: no ~/.aws.
 */
function run(env: Record<string, string>, args: string[] = []) {
  const started = Date.now();
  return new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [SCRIPT, ...args], {
        env: { PATH: process.env.PATH ?? "", HOME: tempDir("integ-home-"), ...env },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
    },
  );
}

describe("pnpm test:integ (bin/run-integ.mjs) without AWS credentials", () => {
  it("prints that it skipped, and why, on one line and exits 0", async () => {
    const result = await run({ AWS_EC2_METADATA_DISABLED: "true" });
    expect(result).toMatchObject({ code: 0, stdout: `${SKIPPED}\n`, stderr: "" });
  });

  it("says so when AWS_PROFILE names a profile that gives none", async () => {
    const result = await run({ AWS_EC2_METADATA_DISABLED: "true", AWS_PROFILE: "nope" });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${SKIPPED.replace("found;", "found (AWS_PROFILE=nope gave none);")}\n`,
    );
  });

  describe("when the instance metadata service does not answer", () => {
    // An endpoint that takes connections and never answers, as a metadata address can.
    let server: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      server = createServer((socket) => {
        sockets.push(socket);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });

    it("gives up within about 2 seconds, and skips", async () => {
      const address = server.address() as { port: number };
      const result = await run({
        AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${address.port}`,
      });
      expect(result).toMatchObject({ code: 0, stdout: `${SKIPPED}\n` });
      expect(result.ms).toBeLessThan(6000);
    });
  });
});

describe("pnpm test:integ -- --check-credentials", () => {
  it("finds credentials in the environment", async () => {
    const result = await run(
      {
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      },
      ["--check-credentials"],
    );
    expect(result).toMatchObject({
      code: 0,
      stdout: "test:integ: AWS credentials found (CREDENTIALS_ENV_VARS)\n",
    });
  });

  it("finds a profile in ~/.aws/credentials", async () => {
    const home = tempDir("integ-home-");
    mkdirSync(join(home, ".aws"));
    writeFileSync(
      join(home, ".aws", "credentials"),
      "[sandbox]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
    );
    const result = await run(
      { HOME: home, AWS_EC2_METADATA_DISABLED: "true", AWS_PROFILE: "sandbox" },
      ["--check-credentials"],
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^test:integ: AWS credentials found \(CREDENTIALS_PROFILE/);
  });

  it("waits longer than 2 s for a configured source (a slow credential_process)", async () => {
    const home = tempDir("integ-home-");
    mkdirSync(join(home, ".aws"));
    const script = join(home, "slow-credentials.sh");
    writeFileSync(
      script,
      `#!/bin/sh\nsleep 3\necho '{"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "x"}'\n`,
      { mode: 0o755 },
    );
    writeFileSync(join(home, ".aws", "config"), `[profile slow]\ncredential_process = ${script}\n`);
    const result = await run(
      { HOME: home, AWS_EC2_METADATA_DISABLED: "true", AWS_PROFILE: "slow" },
      ["--check-credentials"],
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^test:integ: AWS credentials found \(.*PROCESS/);
    expect(result.ms).toBeGreaterThan(3000);
  });
});
