import type { RuleModel, TargetModel } from "@ebsvc/cloud-assembly";
import { describe, expect, it } from "vitest";
import type { BusEvent } from "../src/bus-event.js";
import { DeliveryError } from "../src/engine/delivery-error.js";
import {
  asJson,
  asText,
  checkTargetInput,
  fillTemplate,
  TransformedInput,
  targetInput,
} from "../src/engine/input-transformer.js";

// The example event of AWS's "Amazon EventBridge input transformation" page.
const EC2_EVENT: BusEvent = {
  version: "0",
  id: "7bf73129-1428-4cd3-a780-95db273d1602",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "123456789012",
  time: "2015-11-11T21:29:54Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
  detail: { "instance-id": "i-0123456789", state: "RUNNING" },
};

const RULE: RuleModel = {
  path: "Stack/Rule",
  name: "ec2-states",
  arn: "arn:aws:events:us-east-1:123456789012:rule/ec2-states",
  busName: "default",
  pattern: { source: ["aws.ec2"] },
  enabled: true,
  targets: [],
};

const target = (input: Partial<TargetModel>): TargetModel => ({
  id: "Target0",
  arn: "arn:aws:sqs:us-east-1:123456789012:out",
  maximumRetryAttempts: 185,
  maximumEventAgeSeconds: 86_400,
  ...input,
});

/** Transforms EC2_EVENT with the docs' two variables, <instance> and <state>. */
function transform(inputTemplate: string, event: BusEvent = EC2_EVENT): string {
  const input = targetInput(
    RULE,
    target({
      inputTransformer: {
        inputPathsMap: { instance: "$.detail.instance-id", state: "$.detail.state" },
        inputTemplate,
      },
    }),
    event,
    Date.parse("2015-11-11T21:29:55.123Z"),
  );
  expect(input).toBeInstanceOf(TransformedInput);
  return (input as TransformedInput).text;
}

describe("InputTransformer, with the examples of AWS's documentation", () => {
  it("a JSON object: variables outside quotes become JSON values", () => {
    expect(
      transform('{"instance" : <instance>, "state": [9, <state>, true], "Transformed" : "Yes"}'),
    ).toBe('{"instance" : "i-0123456789", "state": [9, "RUNNING", true], "Transformed" : "Yes"}');
  });

  it("a string: variables inside quotes become text", () => {
    expect(transform('"<instance> is in state <state>"')).toBe(
      '"i-0123456789 is in state RUNNING"',
    );
  });

  it("a string with escaped quotes", () => {
    expect(transform('"<instance> is in state \\"<state>\\""')).toBe(
      '"i-0123456789 is in state \\"RUNNING\\""',
    );
  });

  it("JSON with variables in quotes and out (the API reference's example)", () => {
    const text = transform(
      '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<state>\\""}',
    );
    expect(JSON.parse(text)).toEqual({
      myInstance: "i-0123456789",
      myStatus: 'i-0123456789 is in state "RUNNING"',
    });
  });

  it("plain text: values go in as they are", () => {
    expect(transform("<instance> is in state <state>")).toBe("i-0123456789 is in state RUNNING");
  });

  it("a value with quotes or a backslash stays valid JSON inside a string", () => {
    const event = { ...EC2_EVENT, detail: { "instance-id": 'say "hi" \\o/', state: 1 } };
    const text = transform('{"text": "<instance>: <state>", "raw": <instance>}', event);
    expect(JSON.parse(text)).toEqual({ text: 'say "hi" \\o/: 1', raw: 'say "hi" \\o/' });
  });

  it("a path that matches nothing gives null in JSON and nothing in text", () => {
    const event = { ...EC2_EVENT, detail: {} };
    expect(transform('{"a": <instance>, "b": "[<state>]"}', event)).toBe('{"a": null, "b": "[]"}');
  });

  it("objects and arrays go in as JSON, and a wildcard path collects its matches", () => {
    const input = targetInput(
      RULE,
      target({
        inputTransformer: {
          inputPathsMap: {
            detail: "$.detail",
            ids: "$.detail.items[*].id",
            first: "$.detail.items[0]",
          },
          inputTemplate: '{"detail": <detail>, "ids": <ids>, "first": <first>, "said": "<ids>"}',
        },
      }),
      { ...EC2_EVENT, detail: { items: [{ id: 1 }, { id: 2 }] } },
      0,
    ) as TransformedInput;
    expect(JSON.parse(input.text)).toEqual({
      detail: { items: [{ id: 1 }, { id: 2 }] },
      ids: [1, 2],
      first: { id: 1 },
      said: "[1,2]",
    });
  });

  it("fills EventBridge's predefined variables", () => {
    const input = targetInput(
      RULE,
      target({
        inputTransformer: {
          inputPathsMap: {},
          inputTemplate:
            '{"name": "<aws.events.rule-name>", "arn": "<aws.events.rule-arn>", "event": <aws.events.event>, "json": "<aws.events.event.json>", "at": "<aws.events.event.ingestion-time>"}',
        },
      }),
      EC2_EVENT,
      Date.parse("2015-11-11T21:29:55.123Z"),
    ) as TransformedInput;
    const value = JSON.parse(input.text);
    expect(value).toEqual({
      name: "ec2-states",
      arn: RULE.arn,
      event: EC2_EVENT,
      json: JSON.stringify(EC2_EVENT),
      at: "2015-11-11T21:29:55.123Z",
    });
  });

  it("leaves a placeholder it does not know as written", () => {
    expect(fillTemplate("<a> <b>", new Map([["a", 1]]))).toBe("1 <b>");
  });
});

describe("InputPath and Input", () => {
  it("InputPath sends the part of the event it selects", () => {
    const input = targetInput(RULE, target({ inputPath: "$.detail" }), EC2_EVENT, 0);
    expect(asText(input)).toBe('{"instance-id":"i-0123456789","state":"RUNNING"}');
    expect(asText(targetInput(RULE, target({ inputPath: "$.detail.state" }), EC2_EVENT, 0))).toBe(
      '"RUNNING"',
    );
  });

  it("a constant Input replaces the event, text as written", () => {
    const input = targetInput(RULE, target({ input: '{ "fixed" : true }' }), EC2_EVENT, 0);
    expect(asText(input)).toBe('{ "fixed" : true }');
    expect(asJson(input)).toEqual({ fixed: true });
  });

  it("without any of them the target gets the event", () => {
    expect(targetInput(RULE, target({}), EC2_EVENT, 0)).toBe(EC2_EVENT);
    expect(asText(EC2_EVENT)).toBe(JSON.stringify(EC2_EVENT));
  });

  it("text that is not JSON cannot go to a function: a delivery error, as Lambda refuses it", () => {
    const input = new TransformedInput("i-0123456789 is in state RUNNING");
    expect(() => asJson(input)).toThrow(DeliveryError);
    expect(() => asJson(input)).toThrow(/^Could not parse request body into json: /);
  });
});

describe("checkTargetInput", () => {
  it("accepts EventBridge's JSONPath subset", () => {
    for (const path of [
      "$",
      "$.detail",
      "$.detail.instance-id",
      "$.detail.items[0].id",
      "$.detail.*",
      "$.a/b_c",
    ]) {
      expect(() => checkTargetInput(RULE, target({ inputPath: path }))).not.toThrow();
    }
  });

  it("refuses other paths with one line naming rule, target and field", () => {
    expect(() => checkTargetInput(RULE, target({ inputPath: "$.detail[?(@.a > 1)]" }))).toThrow(
      'rule Stack/Rule, target Target0: InputPath is "$.detail[?(@.a > 1)]"; allowed: a JSONPath in dot notation',
    );
    expect(() =>
      checkTargetInput(
        RULE,
        target({ inputTransformer: { inputPathsMap: { a: "$['detail']" }, inputTemplate: "<a>" } }),
      ),
    ).toThrow("InputPathsMap.a is \"$['detail']\"");
  });

  it("refuses a variable named like EventBridge's own", () => {
    expect(() =>
      checkTargetInput(
        RULE,
        target({
          inputTransformer: { inputPathsMap: { "aws.events.event": "$" }, inputTemplate: "x" },
        }),
      ),
    ).toThrow(
      'InputPathsMap defines aws.events.event; names starting with "aws." are EventBridge\'s own',
    );
  });
});
