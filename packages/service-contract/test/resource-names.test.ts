import { compilePattern } from "@ebsvc/event-patterns";
import { describe, expect, it } from "vitest";
import {
  aliasArnOf,
  deadLetterQueueNameOf,
  functionNameOf,
  RESULT_SOURCE,
  SUCCESS_DETAIL_TYPE,
  sampleSuccessResult,
} from "../src/index.js";

describe("resource names", () => {
  it("names a service's function, alias ARN and dead-letter queue after its id", () => {
    expect(functionNameOf("orders")).toBe("ebsvc-orders");
    expect(deadLetterQueueNameOf("orders")).toBe("ebsvc-orders-dlq");
    expect(aliasArnOf({ partition: "aws-cn", region: "cn-north-1", account: "1" }, "orders")).toBe(
      "arn:aws-cn:lambda:cn-north-1:1:function:ebsvc-orders:live",
    );
  });

  it("keeps a long id's function name within Lambda's 64 characters, distinct per id", () => {
    const a = functionNameOf(`a${"b".repeat(62)}`);
    const b = functionNameOf(`a${"b".repeat(61)}c`);
    expect(a).toHaveLength(64);
    expect(a.startsWith("ebsvc-abbb")).toBe(true);
    expect(a).not.toBe(b);
  });
});

describe("sampleSuccessResult", () => {
  it("is matched by the pattern a subscription to the service's results uses", () => {
    const result = sampleSuccessResult("orders", "output_bus");
    const pattern = compilePattern({
      source: [RESULT_SOURCE],
      "detail-type": [SUCCESS_DETAIL_TYPE],
      resources: ["arn:aws:lambda:us-east-1:123456789012:function:ebsvc-orders:live"],
    });
    expect(pattern.matches(result)).toBe(true);
    expect(pattern.matches(sampleSuccessResult("payments", "output_bus"))).toBe(false);
    expect(result.resources).toContain(
      "arn:aws:events:us-east-1:123456789012:event-bus/output_bus",
    );
  });
});
