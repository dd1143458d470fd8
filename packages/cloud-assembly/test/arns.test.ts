import { describe, expect, it } from "vitest";
import { arns, eventBusNameOf, functionArnOf, lambdaFunctionName, parseArn } from "../src/arns.js";

const place = { account: "111122223333", region: "eu-west-1" };

describe("ARNs", () => {
  it("are formed as AWS documents them per service", () => {
    expect(arns.eventBus(place, "orders")).toBe(
      "arn:aws:events:eu-west-1:111122223333:event-bus/orders",
    );
    expect(arns.rule(place, "default", "r")).toBe("arn:aws:events:eu-west-1:111122223333:rule/r");
    expect(arns.rule(place, "orders", "r")).toBe(
      "arn:aws:events:eu-west-1:111122223333:rule/orders/r",
    );
    expect(arns.function(place, "fn")).toBe("arn:aws:lambda:eu-west-1:111122223333:function:fn");
    expect(arns.queue(place, "q")).toBe("arn:aws:sqs:eu-west-1:111122223333:q");
    expect(arns.logGroup(place, "/aws/x")).toBe(
      "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/x:*",
    );
    expect(arns.role(place, "r")).toBe("arn:aws:iam::111122223333:role/r");
  });

  it("are read into their parts, and anything else is not an ARN", () => {
    expect(parseArn("arn:aws-cn:sqs:cn-north-1:111122223333:q")).toEqual({
      partition: "aws-cn",
      service: "sqs",
      region: "cn-north-1",
      accountId: "111122223333",
      resource: "q",
    });
    expect(parseArn("orders")).toBeUndefined();
    expect(parseArn("111122223333:function:fn")).toBeUndefined();
  });

  it("name the function of a function, version or alias, in its own partition and account", () => {
    const fn = "arn:aws-cn:lambda:cn-north-1:444455556666:function:fn";
    expect(functionArnOf(fn)).toBe(fn);
    expect(functionArnOf(`${fn}:live`)).toBe(fn);
    expect(functionArnOf(`${fn}:3`)).toBe(fn);
    expect(functionArnOf("arn:aws:lambda:eu-west-1:111122223333:layer:l:1")).toBeUndefined();
    expect(functionArnOf("arn:aws:sqs:eu-west-1:111122223333:function")).toBeUndefined();
    expect(functionArnOf("fn")).toBeUndefined();
  });

  it("take a Lambda FunctionName as a name, an ARN or a partial ARN", () => {
    for (const value of [
      "fn",
      "fn:live",
      "111122223333:function:fn",
      "111122223333:function:fn:live",
      "arn:aws:lambda:eu-west-1:111122223333:function:fn",
      "arn:aws:lambda:eu-west-1:111122223333:function:fn:$LATEST",
    ]) {
      expect(lambdaFunctionName(value), value).toBe("fn");
    }
  });

  it("name the bus of an event bus ARN only", () => {
    expect(eventBusNameOf("arn:aws:events:eu-west-1:111122223333:event-bus/orders")).toBe("orders");
    expect(eventBusNameOf("arn:aws:events:eu-west-1:111122223333:rule/orders/r")).toBeUndefined();
    expect(eventBusNameOf("orders")).toBeUndefined();
  });
});
