import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  DeleteMessageBatchCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { serviceQueue } from "@ebsvc/dlq";
import { synthFixtureApp } from "@ebsvc/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Observation } from "../../src/engine/observations.js";
import { type Environment, startEnvironment } from "../../src/environment.js";
import { jsonLines, runToEnd } from "../finished-process.js";

// `pnpm dlq` as users run it: the dlq package's built CLI, against this package's environment.
const cli = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "dlq",
  "dist",
  "cli.js",
);
let assembly: string;
let environment: Environment;
const seen: Observation[] = [];
const scratch = mkdtempSync(join(tmpdir(), "dlq-test-"));
const fault = join(scratch, "fault");

beforeAll(async () => {
  assembly = synthFixtureApp();
  environment = await startEnvironment({
    assembly,
    listen: { host: "127.0.0.1", port: 0 },
    timeScale: 0.001,
    observer: (observation) => seen.push(observation),
    functionLogs: () => new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
}, 120_000);

afterAll(async () => {
  await environment?.stop();
  rmSync(assembly, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

function dlq(...args: string[]) {
  return runToEnd("node", [cli, ...args, "--assembly", assembly], process.cwd());
}

/** An SQS client of the running environment's endpoint. */
function localSqs() {
  return new SQSClient({
    endpoint: environment.url,
    region: "eu-west-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
}

async function put(detail: object) {
  const client = new EventBridgeClient({
    endpoint: environment.url,
    region: "eu-west-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const answer = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: "source_bus",
          Source: "steady",
          DetailType: "Order",
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  client.destroy();
  await environment.cloud.settled();
  return answer.Entries?.[0]?.EventId;
}

describe("pnpm dlq against the local environment", () => {
  it("lists a failed event, shows it, redrives it, and the service then processes it", async () => {
    writeFileSync(fault, "");
    const eventId = await put({ order: 42, failWhileExists: fault });

    const list = await dlq("list", "steady", "--endpoint", environment.url ?? "", "--json");
    expect(list.code).toBe(0);
    const letters = jsonLines(list.stdout);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      kind: "failed invocation",
      reason: `RetriesExhausted after 3 invocation(s): Error: ${fault} exists`,
      event: { id: eventId, source: "steady", "detail-type": "Order", detail: { order: 42 } },
    });

    const text = await dlq("list", "steady", "--endpoint", environment.url ?? "");
    expect(text.stdout).toMatch(/: 1 message\(s\)\n/);
    expect(text.stdout).toContain(letters[0].messageId);

    const show = await dlq(
      "show",
      "steady",
      letters[0].messageId,
      "--endpoint",
      environment.url ?? "",
    );
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout).body.requestContext.condition).toBe("RetriesExhausted");

    rmSync(fault);
    const from = seen.length;
    const redrive = await dlq("redrive", "steady", "--endpoint", environment.url ?? "");
    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toMatch(/^redrove 1 event\(s\) to source_bus; 0 message\(s\) stay/);
    await environment.cloud.settled();
    const results = seen
      .slice(from)
      .flatMap((o) => (o.kind === "bus" && o.event.source === "lambda" ? [o] : []));
    expect(results).toHaveLength(1);
    expect(results[0]?.bus).toBe("output_bus");
    expect(results[0]?.event.detail).toMatchObject({
      requestContext: { condition: "Success" },
      requestPayload: { source: "steady", "detail-type": "Order", detail: { order: 42 } },
    });
    const after = await dlq("list", "steady", "--endpoint", environment.url ?? "", "--json");
    expect(after.stdout).toBe("");
  });

  it("redrives only the messages named, and keeps the others", async () => {
    writeFileSync(fault, "");
    await put({ n: 1, failWhileExists: fault });
    await put({ n: 2, failWhileExists: fault });
    rmSync(fault);
    const listed = jsonLines(
      (await dlq("list", "steady", "--endpoint", environment.url ?? "", "--json")).stdout,
    );
    expect(listed).toHaveLength(2);
    const one = await dlq(
      "redrive",
      "steady",
      listed[0].messageId,
      "--endpoint",
      environment.url ?? "",
    );
    expect(one.code).toBe(0);
    await environment.cloud.settled();
    const left = jsonLines(
      (await dlq("list", "steady", "--endpoint", environment.url ?? "", "--json")).stdout,
    );
    expect(left.map((l) => l.messageId)).toEqual([listed[1].messageId]);
    await dlq("redrive", "steady", "--endpoint", environment.url ?? "");
  });

  it("lets five concurrent lists each see all 50 letters, and leaves them receivable at once", async () => {
    const { url } = serviceQueue(environment.model, "steady").queue;
    const sqs = localSqs();
    try {
      const sent: string[] = [];
      for (let batch = 0; batch < 5; batch++) {
        const answer = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: Array.from({ length: 10 }, (_, i) => ({
              Id: `m${i}`,
              MessageBody: JSON.stringify({ letter: batch * 10 + i }),
            })),
          }),
        );
        sent.push(...(answer.Successful ?? []).map((entry) => entry.MessageId ?? ""));
      }
      expect(sent).toHaveLength(50);

      const lists = await Promise.all(
        Array.from({ length: 5 }, () =>
          dlq("list", "steady", "--endpoint", environment.url ?? "", "--json"),
        ),
      );
      for (const list of lists) {
        expect(list.code).toBe(0);
        const ids = jsonLines(list.stdout).map((letter) => letter.messageId);
        expect(new Set(ids)).toEqual(new Set(sent));
        expect(ids).toHaveLength(50);
      }

      // Nothing is left hidden: a consumer receives all 50 right away.
      const received = new Set<string>();
      for (let round = 0; round < 10 && received.size < 50; round++) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 60,
          }),
        );
        if (Messages.length === 0) break;
        for (const message of Messages) received.add(message.MessageId ?? "");
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: Messages.map((message, i) => ({
              Id: String(i),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
      }
      expect(received).toEqual(new Set(sent));
    } finally {
      sqs.destroy();
    }
  });

  it("lists the letters it can see when a consumer holds one, and says so", async () => {
    const { url } = serviceQueue(environment.model, "steady").queue;
    const sqs = localSqs();
    try {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: ["a", "b", "c"].map((id) => ({ Id: id, MessageBody: `{"letter":"${id}"}` })),
        }),
      );
      const { Messages: [held] = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, VisibilityTimeout: 60 }),
      );
      const list = await dlq("list", "steady", "--endpoint", environment.url ?? "", "--json");
      expect(list.code).toBe(0);
      const ids = jsonLines(list.stdout).map((letter) => letter.messageId);
      expect(ids).toHaveLength(2);
      expect(ids).not.toContain(held?.MessageId);
      expect(list.stderr).toMatch(
        /^dlq: note: 1 more message\(s\) in \S+ are held by another reader \(in flight\) and not listed\n$/,
      );
    } finally {
      await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
      sqs.destroy();
    }
  });

  it.each([
    [[], /a command is missing; expected: list, show or redrive/, 2],
    [["purge", "steady"], /unknown command "purge"/, 2],
    [["list"], /list: the service id is missing/, 2],
    [["show", "steady"], /show takes one message id/, 2],
    [
      ["list", "steady", "--endpoint", "localhost:4010"],
      /--endpoint is "localhost:4010"; expected: a base URL/,
      2,
    ],
    [["list", "steady", "--region", "moon-1"], /--region is "moon-1"/, 2],
    [["list", "steady", "--verbose"], /Unknown option '--verbose'/, 2],
    [
      ["list", "nosuch", "--endpoint", "http://127.0.0.1:9"],
      /the app has no service "nosuch"; its services: steady, once, stale/,
      1,
    ],
    [
      ["list", "steady", "--endpoint", "http://127.0.0.1:9"],
      /nothing answers at http:\/\/127.0.0.1:9: start the local environment first \(pnpm start\)/,
      2,
    ],
  ])("answers %j with one line and exit %s", async (args, message, exit) => {
    const { code, stderr, stdout } = await dlq(...(args as string[]));
    expect(stderr).toMatch(message as RegExp);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe("");
    expect(code).toBe(exit);
  });

  it("refuses to guess the account of an environment-agnostic app on AWS", async () => {
    // An assembly synthesized without secrets.json: its stacks name no account or region.
    const agnostic = join(scratch, "agnostic.out");
    mkdirSync(agnostic);
    writeFileSync(join(agnostic, "App.template.json"), JSON.stringify({ Resources: {} }));
    writeFileSync(
      join(agnostic, "manifest.json"),
      JSON.stringify({
        version: "55.0.0",
        artifacts: {
          App: {
            type: "aws:cloudformation:stack",
            environment: "aws://unknown-account/unknown-region",
            properties: { templateFile: "App.template.json" },
          },
        },
      }),
    );
    const child = spawn("node", [cli, "list", "backtosource", "--assembly", agnostic]);
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(stderr).toMatch(
      /names no account or region, so the queue's URL on AWS is unknown: create secrets.json/,
    );
    expect(code).toBe(2);
  });

  it("says which message is not there", async () => {
    const { code, stderr } = await dlq(
      "show",
      "steady",
      "no-such-id",
      "--endpoint",
      environment.url ?? "",
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/has no message no-such-id \(see dlq list steady\)/);
  });
});
