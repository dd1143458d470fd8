import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEventsApi,
  createSqsApi,
  type RunningAwsJsonServer,
  startAwsJsonServer,
} from "../../src/protocols/index.js";
import { QueueStore } from "../../src/queues/index.js";
import { FakeEventsBackend, rawRequest } from "./helpers.js";

// Names every JavaScript object answers to: none of them is an operation.
const NOT_OPERATIONS = [
  "constructor",
  "toString",
  "__proto__",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupSetter__",
  "NoSuchOperation",
  "",
];

let server: RunningAwsJsonServer;

beforeAll(async () => {
  server = await startAwsJsonServer({
    port: 0,
    services: [
      createEventsApi({ backend: new FakeEventsBackend("default") }),
      createSqsApi({ store: new QueueStore() }),
    ],
  });
});

afterAll(() => server.close());

describe("operation names that are not operations", () => {
  it.each(
    NOT_OPERATIONS.flatMap((name) => [
      { prefix: "AmazonSQS", version: "1.0", name },
      { prefix: "AWSEvents", version: "1.1", name },
    ]),
  )("$prefix.$name answers 400 UnknownOperationException", async ({ prefix, version, name }) => {
    const res = await rawRequest(server.url, {
      headers: {
        "Content-Type": `application/x-amz-json-${version}`,
        "X-Amz-Target": `${prefix}.${name}`,
      },
      body: "{}",
    });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      __type: "UnknownOperationException",
      message: expect.stringContaining(`Unknown operation ${prefix}.${name}`),
    });
  });
});
