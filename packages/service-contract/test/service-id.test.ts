import { describe, expect, it } from "vitest";
import { describeServiceIdProblem, SERVICE_ID_RULE, serviceIdProblem } from "../src/index.js";

// The one table of ids: the generator (checkServiceName) and discovery (readServiceFolder)
// both refuse exactly what serviceIdProblem refuses.
describe("serviceIdProblem", () => {
  it.each([
    ["orders", undefined],
    ["a", undefined],
    ["order-2", undefined],
    ["a1-b2-c3", undefined],
    [`a${"b".repeat(62)}`, undefined],
    [`a${"b".repeat(63)}`, "rule"],
    ["", "rule"],
    ["Orders", "rule"],
    ["2orders", "rule"],
    ["-orders", "rule"],
    ["orders-", "rule"],
    ["x-", "rule"],
    ["order_s", "rule"],
    ["order.s", "rule"],
    ["ordérs", "rule"],
    ["lambda", "reserved"],
    ["lambdas", undefined],
    ["constructor", undefined],
    ["__proto__", "rule"],
  ])("%j → %s", (id, kind) => {
    expect(serviceIdProblem(id)?.kind).toBe(kind);
  });

  it("says what is allowed, or why an id is reserved", () => {
    expect(describeServiceIdProblem({ kind: "rule" })).toBe(`must be ${SERVICE_ID_RULE}`);
    const reserved = serviceIdProblem("lambda");
    expect(reserved && describeServiceIdProblem(reserved)).toBe(
      'is reserved: result events have source "lambda", so its rule would match the results of every service, its own included',
    );
  });
});
