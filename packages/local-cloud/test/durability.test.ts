import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { removeTempDirs, synthCheckoutApp } from "@ebsvc/test-fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointFile } from "../src/cli/state-location.js";
import { appRoot } from "../src/dev/app-root.js";

// The environment as a real child process on a state file: killed or stopped mid-load,
// restarted on the same file, it must account for every event it accepted.
const root = appRoot();
const cli = join(root, "packages", "local-cloud", "dist", "cli.js");
let assembly: string;
let folder: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  assembly = synthCheckoutApp();
  folder = mkdtempSync(join(tmpdir(), "local-cloud-durability-"));
}, 180_000);

afterAll(removeTempDirs);
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(folder, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function startChild(
  state: string,
  [command, ...prefix] = [process.execPath, cli, "start"],
  extra: string[] = [],
): Promise<Running> {
  const endpoint = endpointFile(state);
  rmSync(endpoint, { force: true });
  const child = spawn(
    command,
    [
      ...prefix,
      "--port",
      "0",
      "--assembly",
      assembly,
      "--state",
      state,
      "--time-scale",
      "0.001",
      "--json",
      "--concurrency",
      "2",
      ...extra,
    ],
    { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
  );
  children.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  while (!existsSync(endpoint)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      throw new Error(`the environment did not start:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { url } = JSON.parse(readFileSync(endpoint, "utf8")) as { url: string };
  return { child, url, stderr: () => stderr, exited };
}

function client(url: string) {
  return new EventBridgeClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

/** Puts `count` events, 10 per request, all at once; returns the EventIds answered with 200. */
async function putConcurrently(url: string, count: number, onAnswer?: (n: number) => void) {
  const events = client(url);
  const accepted: string[] = [];
  let answers = 0;
  const requests = Array.from({ length: count / 10 }, (_, r) =>
    events
      .send(
        new PutEventsCommand({
          Entries: Array.from({ length: 10 }, (_, k) => ({
            EventBusName: "source_bus",
            Source: (r * 10 + k) % 2 === 0 ? "backtosource" : "toanother",
            DetailType: "Details",
            // Every 25th event is malformed for the service: it ends as a dead letter.
            Detail: JSON.stringify({ message: (r * 10 + k) % 25 === 0 ? 25 : "Hello World" }),
          })),
        }),
      )
      .then((answer) => {
        for (const entry of answer.Entries ?? []) if (entry.EventId) accepted.push(entry.EventId);
        onAnswer?.(++answers);
      })
      .catch(() => {}),
  );
  await Promise.all(requests);
  events.destroy();
  return accepted;
}

async function waitUntilSettled(state: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const db = new DatabaseSync(state, { readOnly: true });
    const { n } = db.prepare("SELECT count(*) AS n FROM work").get() as { n: number };
    db.close();
    if (n === 0) return;
    if (Date.now() > deadline) throw new Error(`${n} steps still pending after 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** For each accepted event: its first-hop success results and its dead letters. */
function account(state: string, accepted: readonly string[]) {
  const db = new DatabaseSync(state, { readOnly: true });
  const results = db.prepare(
    `SELECT count(*) AS n FROM log WHERE json_extract(observation, '$.kind') = 'bus'
       AND json_extract(observation, '$.cause.eventId') = ?
       AND json_extract(observation, '$.event.detail.requestPayload.id') = ?`,
  );
  const letters = db.prepare(
    "SELECT count(*) AS n FROM log WHERE json_extract(observation, '$.kind') = 'queue' AND json_extract(observation, '$.eventId') = ?",
  );
  const seen = db.prepare(
    "SELECT count(*) AS n FROM log WHERE event_id = ? AND json_extract(observation, '$.cause') IS NULL",
  );
  let lost = 0;
  let duplicates = 0;
  let deadLetters = 0;
  let unlogged = 0;
  for (const id of accepted) {
    const ends = (results.get(id, id) as { n: number }).n + (letters.get(id) as { n: number }).n;
    deadLetters += (letters.get(id) as { n: number }).n;
    if ((seen.get(id) as { n: number }).n === 0) unlogged++;
    if (ends === 0) lost++;
    else duplicates += ends - 1;
  }
  db.close();
  return { accepted: accepted.length, lost, duplicates, deadLetters, unlogged };
}

/** Messages waiting in all the environment's queues, as SQS counts them. */
async function messagesWaiting(url: string): Promise<number> {
  const sqs = new SQSClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
  let waiting = 0;
  for (const QueueUrl of QueueUrls) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
    );
    waiting += Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  }
  sqs.destroy();
  return waiting;
}

async function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("a crash (SIGKILL) mid-load", () => {
  it("loses no accepted event: after a restart each has its result or its dead letter", async () => {
    const state = join(folder, "kill", "state.sqlite");
    const first = await startChild(state);
    let killed = false;
    const accepted = await putConcurrently(first.url, 300, (answers) => {
      if (answers === 12 && !killed) {
        killed = true;
        first.child.kill("SIGKILL");
      }
    });
    await first.exited;
    expect(accepted.length).toBeGreaterThanOrEqual(120);
    const second = await startChild(state);
    await waitUntilSettled(state);
    const waiting = await messagesWaiting(second.url);
    second.child.kill("SIGTERM");
    await second.exited;
    expect(second.stderr()).toMatch(/resuming [1-9]\d* pending/);
    const figures = account(state, accepted);
    // The dead letters are in their queues, for a consumer (or pnpm dlq) to read.
    expect(waiting).toBeGreaterThanOrEqual(figures.deadLetters);
    console.log(`SIGKILL mid-load: ${JSON.stringify(figures)}`);
    expect(figures.unlogged).toBe(0);
    expect(figures.lost).toBe(0);
  }, 300_000);
});

describe("a graceful stop (SIGTERM) mid-load", () => {
  it("keeps what is pending, says how much, and the restart finishes it with no duplicates", async () => {
    const state = join(folder, "term", "state.sqlite");
    // Half a second of grace: invocations still running then stay pending.
    const first = await startChild(state, undefined, ["--grace", "0.5"]);
    let stopped = false;
    const accepted = await putConcurrently(first.url, 300, (answers) => {
      if (answers === 20 && !stopped) {
        stopped = true;
        first.child.kill("SIGTERM");
      }
    });
    const code = await first.exited;
    // The stderr's end is in the message when this fails: it says why.
    expect({ code, said: first.stderr().slice(-600) }).toMatchObject({ code: 0 });
    expect(first.stderr()).toMatch(/stopped: [1-9]\d* deliveries and invocations pending/);
    const pending = Number(
      /stopped: (\d+) deliveries and invocations pending/.exec(first.stderr())?.[1],
    );
    expect(pending).toBeGreaterThan(0);
    expect(await refusesConnections(first.url)).toBe(true);
    const second = await startChild(state);
    expect(second.stderr()).toContain(`resuming ${pending} pending`);
    await waitUntilSettled(state);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    const figures = account(state, accepted);
    console.log(`SIGTERM mid-load: ${JSON.stringify(figures)}`);
    expect(figures.lost).toBe(0);
    expect(figures.duplicates).toBe(0);
  }, 300_000);
});

describe("pnpm start", () => {
  it("stops when pnpm gets SIGTERM: nothing listens on the port afterwards", async () => {
    const state = join(folder, "pnpm", "state.sqlite");
    const running = await startChild(state, ["pnpm", "start", "--"]);
    running.child.kill("SIGTERM");
    const deadline = Date.now() + 20_000;
    while (!(await refusesConnections(running.url)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await refusesConnections(running.url)).toBe(true);
  }, 180_000);
});

describe("pnpm replay", () => {
  it("replays the archive of a bus through the running environment and says how many", async () => {
    const state = join(folder, "replay", "state.sqlite");
    const running = await startChild(state);
    const accepted = await putConcurrently(running.url, 10);
    await waitUntilSettled(state);
    const replay = spawn(
      process.execPath,
      [
        cli,
        "replay",
        "--bus",
        "source_bus",
        "--since",
        "10m",
        "--state",
        state,
        "--assembly",
        assembly,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    replay.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const code = await new Promise((resolve) => replay.on("exit", resolve));
    await waitUntilSettled(state);
    running.child.kill("SIGTERM");
    await running.exited;
    expect(code).toBe(0);
    // The 10 events put and the success records that landed on source_bus are archived.
    const count = Number(/replayed (\d+) event\(s\)/.exec(stdout)?.[1]);
    expect(count).toBeGreaterThanOrEqual(10);
    expect(stdout).toContain(`environment at ${running.url}`);
    const db = new DatabaseSync(state, { readOnly: true });
    const replayed = db
      .prepare(
        "SELECT json_extract(observation, '$.event.id') AS id FROM log WHERE json_extract(observation, '$.event.replay-name') IS NOT NULL",
      )
      .all() as { id: string }[];
    db.close();
    expect(replayed).toHaveLength(count);
    expect(replayed.map((row) => row.id)).toEqual(expect.arrayContaining(accepted));
  }, 180_000);
});
