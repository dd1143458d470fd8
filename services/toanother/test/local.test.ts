import { resolve } from "node:path";
import { PassThrough } from "node:stream";
import { type RunningService, runLocal } from "@ebsvc/local-runner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The service as `pnpm run local` serves it without Docker: the bundle (built by `pnpm build`)
// under the real aws-lambda-ric, behind lambda-emulator, over real HTTP.
const serviceDir = resolve(import.meta.dirname, "..");
let running: RunningService;
let output = "";

beforeAll(async () => {
  const sink = new PassThrough();
  sink.on("data", (chunk) => {
    output += chunk;
  });
  running = await runLocal({ serviceDir, mode: "host", port: 0, output: sink });
});
afterAll(() => running?.stop());

describe("the service run locally on the host", () => {
  it("answers the seed's contract and prints the event", async () => {
    const response = await fetch(`${running.url}/2015-03-31/functions/function/invocations`, {
      method: "POST",
      body: '{"message": "Hello World"}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-amz-function-error")).toBeNull();
    expect(await response.text()).toBe('{"statusCode":200,"reponse":"Hello Lambda"}');
    expect(output).toContain('Hello AWS! event = {"message":"Hello World"}');
    expect(output).toMatch(/REPORT RequestId: \S+\tInit Duration: [\d.]+ ms\tDuration: [\d.]+ ms/);
  });
});
