import https from "node:https";
import { createRequire } from "node:module";
import { STACK_NAME } from "@ebsvc/infra";
import type { CfnElement } from "aws-cdk-lib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  ASSERTION_STACK_NAME,
  PROBES,
  type Probe,
  probeName,
  sourceOf,
} from "../src/choreography-test.js";
import { assertionResults } from "../src/run.js";
import {
  aliasArnOf,
  chainRecords,
  queueUrlOf,
  type Resource,
  resourcesOf,
  type SuccessRecord,
  seedEvent,
  seedSuccessRecord,
  successRecord,
  synthIntegApp,
  tempRepo,
} from "./support.js";

// The assertions run in AWS as integ-tests-alpha's Lambda handler. Here that very handler (the
// bundle the assertion stack deploys) runs on the synthesized custom resources, with the AWS
// SDK packages it loads replaced by fakes and its response to CloudFormation captured: what
// each call sends to AWS, and which answers pass or fail the assertions.

const require = createRequire(import.meta.url);
const BUNDLE = require.resolve(
  "@aws-cdk/integ-tests-alpha/lib/assertions/providers/lambda-handler.bundle/index.js",
);

type Handler = (event: unknown, context: unknown) => Promise<void>;
const { handler, isComplete } = require(BUNDLE) as { handler: Handler; isComplete: Handler };

/** What the fake SDK clients were sent, and answer. */
const sent: { service: string; input: Record<string, unknown> }[] = [];
let answers: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {};

function fakeSdkPackage(service: string, client: string, command: string): unknown {
  class Command {
    constructor(readonly input: Record<string, unknown>) {}
  }
  class Client {
    async send(call: Command) {
      sent.push({ service, input: call.input });
      const answer = answers[service];
      if (!answer) throw new Error(`no answer for ${service}`);
      return { ...answer(call.input), $metadata: { httpStatusCode: 200 } };
    }
  }
  return { [client]: Client, [command]: Command };
}

const FAKES: Record<string, unknown> = {
  "@aws-sdk/client-sqs": fakeSdkPackage("sqs", "SQSClient", "ReceiveMessageCommand"),
  "@aws-sdk/client-eventbridge": fakeSdkPackage(
    "eventbridge",
    "EventBridgeClient",
    "PutEventsCommand",
  ),
};

type Load = (request: string, ...rest: unknown[]) => unknown;
const moduleInternals = require("node:module") as { _load: Load };
const originalLoad = moduleInternals._load;
const originalRequest = https.request;

/** What the handler logged (its mismatch reports among it). */
const logged: string[] = [];

/** The responses the handler sent to CloudFormation (its PUTs to the ResponseURL). */
const responses: { body: string; data: Record<string, unknown>; status: string }[] = [];

beforeAll(() => {
  moduleInternals._load = function (this: unknown, request: string, ...rest: unknown[]) {
    return FAKES[request] ?? originalLoad.call(this, request, ...rest);
  };
  (https as { request: unknown }).request = (_options: unknown, done: () => void) => {
    let body = "";
    return {
      on: () => {},
      write: (chunk: string) => {
        body += chunk;
      },
      end: () => {
        const parsed = JSON.parse(body) as { Status: string; Data: Record<string, unknown> };
        responses.push({ body, data: parsed.Data, status: parsed.Status });
        done();
      },
    };
  };
  vi.spyOn(console, "log").mockImplementation((...line: unknown[]) => {
    logged.push(line.map(String).join(" "));
  });
  vi.spyOn(console, "info").mockImplementation(() => {});
});

afterAll(() => {
  moduleInternals._load = originalLoad;
  (https as { request: unknown }).request = originalRequest;
  vi.restoreAllMocks();
});

afterEach(() => {
  sent.length = 0;
  responses.length = 0;
  logged.length = 0;
  answers = {};
});

const CONTEXT = { getRemainingTimeInMillis: () => 120_000, logStreamName: "test" };

describe("the assertions, run by integ-tests-alpha's own handler", () => {
  let calls: { putEvents: Resource[]; receiveMessage: Resource[] };
  let queueUrls: string[];
  beforeAll(() => {
    const synth = synthIntegApp(tempRepo());
    // What the imports resolve to in AWS: a bus's Ref is its name, a queue's its URL, an
    // alias's its ARN (stand-ins: each queue a URL of its own, each alias its service's).
    const resolved = (type: string) =>
      resourcesOf(synth.assertionTemplate, type).map(
        ([id, resource]) =>
          ({ ...(synth.resolve(ASSERTION_STACK_NAME, resource) as Resource), id }) as Resource,
      );
    calls = {
      putEvents: resolved("Custom::DeployAssert@SdkCallEventBridgeputEvents"),
      receiveMessage: resolved("Custom::DeployAssert@SdkCallSQSreceiveMessage"),
    };
    queueUrls = synth.probes.map(({ stack, queue }) =>
      queueUrlOf(stack.stackName, stack.getLogicalId(queue.node.defaultChild as CfnElement)),
    );
  });

  /** The custom resource event CloudFormation (and then the waiter) hands the handler. */
  function eventFor(resource: Resource & { id?: string }) {
    return {
      RequestType: "Create",
      ResourceType: resource.Type,
      ResourceProperties: {
        ServiceToken: "arn:aws:lambda:eu-west-1:123456789012:function:x",
        ...resource.Properties,
      },
      ResponseURL: "https://cloudformation-custom-resource-response.example/response",
      StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${ASSERTION_STACK_NAME}/0c2e3d40-0000-0000-0000-000000000000`,
      RequestId: "3a6a2d3c-0000-0000-0000-000000000000",
      LogicalResourceId: resource.id,
    };
  }

  /** An SQS ReceiveMessage answer holding these bodies. */
  function messages(...bodies: unknown[]) {
    return () => ({
      Messages: bodies.map((body, index) => ({
        MessageId: `0000000${index}-1111-2222-3333-444444444444`,
        // As long as SQS makes them (up to 1024 characters).
        ReceiptHandle: "A".repeat(1024),
        MD5OfBody: "0123456789abcdef0123456789abcdef",
        Body: JSON.stringify(body),
      })),
    });
  }

  /** The receive call of a probe. */
  const receiveOf = (probe: Probe) => calls.receiveMessage[PROBES.indexOf(probe)] as Resource;
  const [backtosource, toanother, chain] = PROBES as [Probe, Probe, Probe];

  it.each(PROBES.map((probe, index) => [probeName(probe), sourceOf(probe), index]))(
    "sends the seed's event for probe %s to source_bus (source %s), and accepts PutEvents' answer",
    async (_name, source, index) => {
      answers.eventbridge = () => ({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
      await handler(eventFor(calls.putEvents[index as number] as Resource), CONTEXT);
      expect(sent).toEqual([
        {
          service: "eventbridge",
          input: {
            Entries: [
              {
                EventBusName: "source_bus",
                Source: source,
                DetailType: "Details",
                Detail: '{"message":"Hello World"}',
              },
            ],
          },
        },
      ]);
      expect(responses.map((r) => [r.status, r.data.assertion])).toEqual([
        ["SUCCESS", '{"status":"success"}'],
      ]);
    },
  );

  it("reports a rejected entry as a failed assertion, which run-integ.mjs counts", async () => {
    answers.eventbridge = () => ({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "NotAuthorized", ErrorMessage: "no" }],
    });
    await handler(eventFor(calls.putEvents[0] as Resource), CONTEXT);
    const [response] = responses;
    expect(response?.status).toBe("SUCCESS"); // the deployment goes on; the output says it failed
    const results = assertionResults(
      { [ASSERTION_STACK_NAME]: { AssertionResultsPutEvents: response?.data.assertion as string } },
      ASSERTION_STACK_NAME,
    );
    expect(results).toEqual([
      {
        id: "AssertionResultsPutEvents",
        status: "fail",
        message: expect.stringContaining("FailedEntryCount"),
      },
    ]);
  });

  /** The record a probe awaits: the last of its chain, for the seed's event sent to the first. */
  const awaited = (probe: Probe) => chainRecords(probe.services).at(-1) as SuccessRecord;

  it.each(PROBES.map((probe, index) => [probeName(probe), probe, index]))(
    "accepts the awaited record of probe %s in its queue, in a response CloudFormation takes",
    async (_name, probe, index) => {
      answers.sqs = messages(awaited(probe as Probe));
      await isComplete(eventFor(calls.receiveMessage[index as number] as Resource), CONTEXT);
      expect(sent).toEqual([
        {
          service: "sqs",
          input: {
            QueueUrl: queueUrls[index as number],
            WaitTimeSeconds: 20,
            MaxNumberOfMessages: 1,
          },
        },
      ]);
      const [response] = responses;
      expect(response?.status).toBe("SUCCESS");
      expect(response?.data.assertion).toBe('{"status":"success"}');
      // CloudFormation rejects a custom resource response over 4096 bytes.
      expect(Buffer.byteLength(response?.body ?? "")).toBeLessThan(4096);
    },
  );

  it("reads each probe's own queue, one queue per probe", () => {
    expect(new Set(queueUrls).size).toBe(PROBES.length);
  });

  it("returns only the asserted leaf of a chain's record: the whole one would not fit in 4096 bytes", async () => {
    const record = awaited(chain);
    answers.sqs = messages(record);
    // What the response would hold with the whole message (apiCallResponse) is already over.
    expect(Buffer.byteLength(JSON.stringify(answers.sqs({})))).toBeGreaterThan(4096);
    await isComplete(eventFor(receiveOf(chain)), CONTEXT);
    const [response] = responses;
    expect(response?.data).toEqual({
      assertion: '{"status":"success"}',
      "apiCallResponse.Messages.0.Body.detail.requestContext.functionArn": aliasArnOf("chained"),
    });
  });

  /** What makes each probe's assertion keep waiting. */
  const failures: [string, Probe, () => unknown][] = [
    ["an empty queue", backtosource, () => ({})],
    ["toanother's result", backtosource, messages(seedSuccessRecord("toanother"))],
    [
      "another service's result of backtosource's event",
      backtosource,
      messages(successRecord("toanother", seedEvent("backtosource"), "source_bus")),
    ],
    [
      "a failure record",
      backtosource,
      messages({
        ...seedSuccessRecord("backtosource"),
        "detail-type": "Lambda Function Invocation Result - Failure",
      }),
    ],
    [
      "a different response",
      backtosource,
      messages(
        withDetail(seedSuccessRecord("backtosource"), {
          responsePayload: { statusCode: 500, reponse: "Hello Lambda" },
        }),
      ),
    ],
    [
      "a different condition",
      backtosource,
      messages(
        withDetail(seedSuccessRecord("backtosource"), {
          requestContext: {
            ...seedSuccessRecord("backtosource").detail.requestContext,
            condition: "RetriesExhausted",
          },
        }),
      ),
    ],
    [
      "another event's result",
      backtosource,
      messages(
        withDetail(seedSuccessRecord("backtosource"), {
          requestPayload: { ...seedEvent("backtosource"), detail: { message: "Hi" } },
        }),
      ),
    ],
    [
      "its result of backtosource's result",
      toanother,
      messages(chainRecords(["backtosource", "toanother"])[1]),
    ],
    [
      "chained's result of its result",
      toanother,
      messages(chainRecords(["toanother", "chained"])[1]),
    ],
    ["an empty queue", chain, () => ({})],
    [
      "toanother's result of backtosource's result",
      chain,
      messages(chainRecords(["backtosource", "toanother"])[1]),
    ],
  ];

  it.each(failures.map(([name, probe, answer]) => [name, probeName(probe), probe, answer]))(
    "keeps waiting on %s for probe %s (the waiter retries until it times out)",
    async (_name, _probeName, probe, answer) => {
      answers.sqs = answer as (input: Record<string, unknown>) => Record<string, unknown>;
      await expect(isComplete(eventFor(receiveOf(probe as Probe)), CONTEXT)).rejects.toThrow();
      expect(responses).toEqual([]);
      // Rejected by the matcher, not by some other error.
      expect(logged.filter((line) => line.startsWith("Assertion Failed"))).toHaveLength(1);
    },
  );
});

/** The record with parts of its detail replaced. */
function withDetail(record: Record<string, unknown>, detail: Record<string, unknown>) {
  return { ...record, detail: { ...(record.detail as Record<string, unknown>), ...detail } };
}

describe("assertionResults", () => {
  it("reads each AssertionResults output of the assertion stack, ignoring the rest", () => {
    expect(
      assertionResults(
        {
          [ASSERTION_STACK_NAME]: {
            AssertionResultsA: '{"status":"success"}',
            AssertionResultsB: '{"status":"fail","message":"Expected 0 but received 1"}',
            AssertionResultsC: "not json",
            SomethingElse: "x",
          },
          [STACK_NAME]: { AssertionResultsD: '{"status":"fail"}' },
        },
        ASSERTION_STACK_NAME,
      ),
    ).toEqual([
      { id: "AssertionResultsA", status: "success" },
      { id: "AssertionResultsB", status: "fail", message: "Expected 0 but received 1" },
      { id: "AssertionResultsC", status: "fail", message: "unreadable result: not json" },
    ]);
  });
});
