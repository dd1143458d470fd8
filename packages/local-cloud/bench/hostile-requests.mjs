// How long hostile requests hold the endpoint: for each, the longest the server's event loop
// was blocked while answering it, the time to its answer, and the latency of a ListQueues
// another client sends meanwhile (medians of 5). The server runs in a child process, so the
// client's own work (building a 3 MB body) is not counted. Usage: pnpm bench:requests
import { fork } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";

if (process.argv[2] === "server") {
  const { createEventsApi, createSqsApi, startAwsJsonServer } = await import(
    "../dist/protocols/index.js"
  );
  const { QueueStore } = await import("../dist/queues/index.js");
  const store = new QueueStore();
  const backend = {
    account: "123456789012",
    region: "us-east-1",
    findBus: (name) => (name === "default" ? { name, arn: "arn", put: () => {} } : undefined),
  };
  const server = await startAwsJsonServer({
    port: 0,
    services: [createEventsApi({ backend }), createSqsApi({ store })],
  });
  store.create({
    name: "orders",
    arn: "arn:aws:sqs:us-east-1:123456789012:orders",
    url: `${server.url}/123456789012/orders`,
  });
  // The longest gap between two ticks of a 1 ms timer: how long the loop was blocked.
  let last = performance.now();
  let longest = 0;
  setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  process.on("message", (message) => {
    if (message === "reset") longest = 0;
    process.send({ longest });
  });
  process.send({ url: server.url });
} else {
  await main();
}

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ["server"]);
  const replies = [];
  child.on("message", (message) => replies.shift()?.(message));
  const ask = (message) =>
    new Promise((resolve) => {
      replies.push(resolve);
      if (message) child.send(message);
    });
  const { url } = await ask();
  const control = (message) => ask(message);

  const post = (headers, body, chunked = false) =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = request(`${url}/`, {
        method: "POST",
        headers: chunked ? headers : { ...headers, "Content-Length": Buffer.byteLength(body) },
      });
      req.on("response", (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () =>
          resolve({ ms: performance.now() - started, status: res.statusCode, text }),
        );
      });
      // The server may close the connection on a refused body before its answer is read.
      req.on("error", (error) =>
        setTimeout(
          () => resolve({ ms: performance.now() - started, status: error.code, text: "" }),
          100,
        ),
      );
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.slice(at, at + 64 * 1024));
      req.end();
    });
  const json11 = {
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Target": "AWSEvents.PutEvents",
  };
  const json10 = (op) => ({
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Target": `AmazonSQS.${op}`,
  });
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  const listQueues = () => post(json10("ListQueues"), "{}");
  const entries = (n, entry = {}) =>
    JSON.stringify({ Entries: Array.from({ length: n }, () => entry) });
  const nested = (depth) => `${'{"a":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;
  const queueUrl = `${url}/123456789012/orders`;

  const cases = [
    // The floor: what the machine's load alone shows.
    ["baseline: one more ListQueues", () => listQueues()],
    [
      "PutEvents, 1,000,000 entries (3 MB, length declared)",
      () => post(json11, entries(1_000_000)),
    ],
    ["PutEvents, 1,000,000 entries (3 MB, chunked)", () => post(json11, entries(1_000_000), true)],
    ["PutEvents, 340,000 entries (1 MiB)", () => post(json11, entries(340_000))],
    ["PutEvents, 5,000 entries", () => post(json11, entries(5_000))],
    [
      "PutEvents, 5 entries, Detail 6,000 levels deep",
      () => post(json11, entries(5, { Source: "s", DetailType: "t", Detail: nested(6000) })),
    ],
    [
      "PutEvents, 10 entries of 25 KB (valid)",
      () =>
        post(
          json11,
          entries(10, {
            Source: "s",
            DetailType: "t",
            Detail: JSON.stringify({ a: "x".repeat(25_000) }),
          }),
        ),
    ],
    [
      "SQS SendMessage, 800 KB body (about the largest read for 256 KiB queues)",
      () =>
        post(
          json10("SendMessage"),
          JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'é"'.repeat(200_000) }),
        ),
    ],
    [
      "SQS SendMessage, 3 MB body (over the cap: refused unread, connection closed)",
      () =>
        post(
          json10("SendMessage"),
          JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'é"'.repeat(780_000) }),
        ),
    ],
    [
      "SQS Query, 200,000 parameters (800 KB)",
      () => post(form, `Action=ListQueues${"&a=1".repeat(200_000)}`),
    ],
  ];

  const RUNS = 5;
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows = [];
  for (const [name, send] of cases) {
    const blocked = [];
    const answered = [];
    const listed = [];
    let status;
    for (let run = 0; run < RUNS; run++) {
      await control("reset");
      const hostile = send();
      const list = await listQueues();
      const answer = await hostile;
      blocked.push((await control("report")).longest);
      answered.push(answer.ms);
      listed.push(list.ms);
      status = `${answer.status} ${/"__type":"([^"]+)"|<Code>([^<]+)/.exec(answer.text)?.slice(1).find(Boolean) ?? ""}`;
    }
    rows.push({
      request: name,
      answer: status,
      "loop blocked ms": median(blocked).toFixed(1),
      "answered ms": median(answered).toFixed(1),
      "ListQueues meanwhile ms": median(listed).toFixed(1),
    });
  }
  console.table(rows);
  child.kill();
}
