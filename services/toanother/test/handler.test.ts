import type { Context } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handler } from "../src/index.js";

afterEach(() => vi.restoreAllMocks());

describe("handler", () => {
  it("prints the event and answers the seed's contract", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const result = await handler({ message: "Hello World" }, {} as Context, () => {});
    expect(log).toHaveBeenCalledWith('Hello AWS! event = {"message":"Hello World"}');
    expect(result).toEqual({ statusCode: 200, reponse: "Hello Lambda" });
  });

  it("prints an EventBridge event as it arrived", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const event = { version: "0", source: "orders", "detail-type": "Details", detail: { id: 7 } };
    await handler(event, {} as Context, () => {});
    expect(log).toHaveBeenCalledWith(`Hello AWS! event = ${JSON.stringify(event)}`);
  });
});
