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

function invoke(body: string) {
  return fetch(`${running.url}/2015-03-31/functions/function/invocations`, {
    method: "POST",
    body,
  });
}

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

  it("answers an EventBridge event as the rule delivers it", async () => {
    const event = {
      version: "0",
      id: "60e07636-af17-4ca4-4d75-7df75930ae25",
      "detail-type": "Details",
      source: "chained",
      account: "123456789012",
      time: "2022-12-21T15:32:01Z",
      region: "eu-west-1",
      resources: [],
      detail: { message: "Hello World" },
    };
    const response = await invoke(JSON.stringify(event));
    expect(response.headers.get("x-amz-function-error")).toBeNull();
    expect(await response.text()).toBe('{"statusCode":200,"reponse":"Hello Lambda"}');
  });

  it("fails a malformed event with the error's class as errorType and the field in errorMessage", async () => {
    const response = await invoke('{"source": "chained", "detail": {"message": 42}}');
    expect(response.headers.get("x-amz-function-error")).toBe("Unhandled");
    const error = (await response.json()) as { errorType: string; errorMessage: string };
    expect(error.errorType).toBe("MalformedEventError");
    expect(error.errorMessage).toMatch(
      /^version is missing \(expected string\); .*; detail\.message is 42 \(expected string\)$/,
    );
  });
});
