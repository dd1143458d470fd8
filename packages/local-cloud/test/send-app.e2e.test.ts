import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { jsonLines, runToEnd } from "./finished-process.js";

// The end-to-end tier: the root `pnpm send` as a user types it, which builds and synthesizes
// the checkout's app through Turborepo and runs the real services on the real runtime client.
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

describe("pnpm send in the checkout", () => {
  it("sends the seed's event and prints, as JSON lines, everything it caused", async () => {
    const { code, stdout, stderr } = await runToEnd(
      "pnpm",
      [
        "send",
        "--",
        "--bus",
        "source_bus",
        "--source",
        "backtosource",
        "--detail-type",
        "Details",
        "--detail",
        '{"message":"Hello World"}',
        "--json",
      ],
      root,
    );
    expect(stderr).not.toMatch(/Error:|at .*\.js:\d+/);
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    expect(lines.map((line) => [line.bus, line.event.source, line.event["detail-type"]])).toEqual([
      ["source_bus", "backtosource", "Details"],
      ["source_bus", "lambda", "Lambda Function Invocation Result - Success"],
      // toanother and chained follow, by their subscriptions.
      ["output_bus", "lambda", "Lambda Function Invocation Result - Success"],
      ["output_bus", "lambda", "Lambda Function Invocation Result - Success"],
    ]);
    expect(lines[1].event.detail.responsePayload).toEqual({
      statusCode: 200,
      reponse: "Hello Lambda",
    });
    expect(lines[1].event.detail.requestPayload).toEqual(lines[0].event);
  }, 180_000);
});
