import { request } from "node:http";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { removeTempDirs, synthCheckoutApp } from "@ebsvc/test-fixtures";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRoot } from "../../src/dev/app-root.js";
import { type Environment, startEnvironment } from "../../src/environment.js";
import { launchBrowser } from "./browser.js";

// The real app in the local cloud, and the console in a real browser, as a user opens it.
let environment: Environment;
let client: EventBridgeClient;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
let page: Page;
/** Every URL the page asked for: none may leave the machine. */
const requested: string[] = [];
const pageErrors: string[] = [];
let assembly: string;

const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });

async function start(port = 0): Promise<Environment> {
  return startEnvironment({
    assembly,
    listen: { host: "127.0.0.1", port },
    // Retries (1, then 2 minutes) in milliseconds.
    timeScale: 0.001,
    functionLogs: quiet,
  });
}

beforeAll(async () => {
  assembly = synthCheckoutApp();
  environment = await start();
  client = new EventBridgeClient({
    endpoint: environment.url,
    region: environment.model.place.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  browser = await launchBrowser();
  context = browser.context;
  page = await context.newPage();
  // Fail with playwright's message (which element, which state) before the test times out.
  page.setDefaultTimeout(10_000);
  page.on("request", (request) => requested.push(request.url()));
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, 180_000);

afterAll(removeTempDirs);
afterAll(async () => {
  await browser?.close();
  client?.destroy();
  await environment?.stop();
});

async function put(detail: unknown, source = "backtosource"): Promise<string> {
  const answer = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: "source_bus",
          Source: source,
          DetailType: "Details",
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  const id = answer.Entries?.[0]?.EventId;
  if (!id) throw new Error(`PutEvents refused the event: ${JSON.stringify(answer.Entries)}`);
  return id;
}

/** The status of a bare request (fetch would not let a test set Host or Origin as an attacker can). */
function status(url: string, method: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(method === "POST" ? JSON.stringify({ service: "backtosource" }) : undefined);
  });
}

/**
 * With CONSOLE_SCREENSHOTS=<folder> (docs/console for the README), each view is saved there as
 * the tests leave it.
 */
async function snap(name: string): Promise<void> {
  const folder = process.env.CONSOLE_SCREENSHOTS;
  if (folder)
    await page.screenshot({
      path: join(resolve(appRoot(), folder), `${name}.png`),
    });
}

const open = (hash: string) => page.goto(`${environment.url}/#/${hash}`);

describe("the console, in chromium", () => {
  let seedId: string;

  it("is served at the endpoint's root with a CSP that forbids remote origins, and goes live", async () => {
    const response = await page.goto(`${environment.url}/`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    await expect
      .poll(() => page.getByTestId("connection").textContent(), { timeout: 10_000 })
      .toContain("live");
  });

  it("shows the seed event put with the AWS SDK in the timeline, with its EventId", async () => {
    await open("timeline");
    seedId = await put({ message: "Hello World" });
    await page
      .locator(`.timeline a[data-event-id="${seedId}"]`)
      .first()
      .waitFor({ timeout: 15_000 });
    expect(await page.locator(`a[data-event-id="${seedId}"]`).first().textContent()).toBe(seedId);
    await snap("timeline");
  });

  it("traces the event: backtosource, then toanother, then chained, each with its result", async () => {
    await page.locator(`.timeline a[data-event-id="${seedId}"]`).first().click();
    expect(page.url()).toContain(`#/trace/${seedId}`);
    const invocation = (service: string) =>
      page.locator(`.trace-invocation[data-service="${service}"]`);
    for (const service of ["backtosource", "toanother", "chained"]) {
      await expect
        .poll(
          () => invocation(service).first().locator("[data-testid=outcome]").first().textContent(),
          {
            timeout: 20_000,
          },
        )
        .toBe("Success");
    }
    // Nested as the chain went: chained's invocation sits inside toanother's, inside backtosource's.
    expect(
      await invocation("backtosource")
        .locator(
          '.trace-invocation[data-service="toanother"] .trace-invocation[data-service="chained"]',
        )
        .count(),
    ).toBe(1);
    await snap("trace");
  });

  it("says why a rule did not match, naming the failing field, its value and the condition", async () => {
    await open(`why/${seedId}`);
    const why = page.getByTestId("why");
    await why.waitFor();
    await expect.poll(() => why.locator("li.ok").count()).toBe(1);
    // toanother's subscription on source_bus wants backtosource's results, not the event itself.
    const failed = why.locator("li.failed").first();
    const text = (await failed.textContent()) ?? "";
    expect(text).toMatch(
      /field (source|detail-type) is "(backtosource|Details)"; the pattern wants/,
    );
    await snap("why");
  });

  it("sends a malformed event to backtosource's DLQ after its retries, shows the letter, and redrives it", async () => {
    const badId = await put({ message: 42 });
    await open(`trace/${badId}`);
    await expect
      .poll(
        () =>
          page
            .locator('.trace-invocation[data-service="backtosource"] [data-testid=outcome]')
            .first()
            .textContent(),
        {
          timeout: 30_000,
        },
      )
      .toBe("RetriesExhausted");
    expect(await page.locator(".trace-invocation .attempts li").count()).toBe(3);
    expect(await page.locator(".trace-destination").first().textContent()).toContain(
      "ebsvc-backtosource-dlq",
    );

    await open("dead-letters");
    const queue = page.locator('article[data-service="backtosource"]');
    const row = queue.locator("tr", { hasText: badId });
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain("MalformedEventError");
    const before = environment.log.latest(100_000).length;
    await snap("dead-letters");
    await row.getByRole("checkbox").check();
    await queue.getByRole("button", { name: /Redrive selected/ }).click();
    await expect
      .poll(() => page.locator("p.status").textContent())
      .toContain("redrove 1 letter(s) to source_bus");
    // The same event is back on its bus (and fails again: its detail has not changed).
    const redriven = environment.log
      .latest(100_000)
      .slice(before)
      .find(
        (e) =>
          e.observation.kind === "bus" &&
          JSON.stringify(e.observation.event.detail) === '{"message":42}',
      );
    expect(redriven).toBeDefined();
  });

  it("marks invalid JSON where it is wrong and never sends it; sends valid events and follows them", async () => {
    await open("send");
    const detail = page.getByLabel("Detail (JSON)");
    await detail.fill('{\n  "message": "Hello",\n  oops\n}');
    const error = page.locator(".json-editor .error").first();
    await error.waitFor();
    expect(await error.textContent()).toMatch(/line 3, column 3/);
    expect(await detail.getAttribute("aria-invalid")).toBe("true");
    const send = page.getByRole("button", { name: "Put event" });
    expect(await send.isDisabled()).toBe(true);

    // backtosource's template: its rule's bus and source, the seed's detail-type and detail.
    await page.getByLabel("Template").selectOption({ label: "backtosource" });
    expect(await detail.getAttribute("aria-invalid")).toBe("false");
    await send.click();
    await page.getByTestId("trace").or(page.locator(".send [role=alert]")).first().waitFor();
    expect(await page.locator(".send [role=alert]").allTextContents()).toEqual([]);
    expect(page.url()).toMatch(/#\/trace\/[0-9a-f-]{36}$/);
  });

  it("tests a pattern in the sandbox, worded as PutRule words a bad one", async () => {
    await put({ message: "for the sandbox" });
    await open("send");
    const pattern = page.getByLabel("Event pattern (JSON)");
    await pattern.fill('{"source": "backtosource"}');
    await page.getByRole("button", { name: "Test pattern" }).click();
    const refusal = page.locator("section[aria-labelledby=sandbox-title] [role=alert]");
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^Invalid event pattern at "source"/);

    await pattern.fill('{"source": ["backtosource"]}');
    await page.getByLabel("Bus of the last events").selectOption("source_bus");
    await page.getByRole("button", { name: "Test pattern" }).click();
    const results = page.getByTestId("sandbox-results");
    await results.waitFor();
    expect(await results.locator("li.ok").count()).toBeGreaterThan(0);
    expect(await results.locator("li.failed").count()).toBeGreaterThan(0);
    await snap("send-and-sandbox");
  });

  it("draws the architecture: edges count events, a DLQ holding letters is marked, a click shows details", async () => {
    await open("architecture");
    const diagram = page.getByRole("img", { name: /buses, rules, services and queues/ });
    await diagram.waitFor();
    // The seed event crossed source_bus → backtosource's rule → backtosource.
    const counted = page.locator("g.edge text.edge-label").filter({ hasText: /\d/ });
    await expect.poll(() => counted.count()).toBeGreaterThan(2);
    // The redriven malformed event failed again: backtosource's DLQ holds it.
    const dlq = page.getByRole("button", {
      name: /queue ebsvc-backtosource-dlq, \d+ dead letters/,
    });
    await dlq.waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: /^rule backtosourceRule/ }).click();
    const details = page.getByTestId("node-details");
    expect(await details.textContent()).toContain('"source": [');
    await page.getByRole("button", { name: "function backtosource" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => details.textContent()).toContain("Recent invocations");
    expect(await details.locator("li a", { hasText: "trace" }).count()).toBeGreaterThan(0);
    await snap("architecture");
  });

  it("purges a DLQ only once the purge is confirmed", async () => {
    await open("dead-letters");
    const queue = page.locator('article[data-service="backtosource"]');
    await queue.locator("tbody tr").first().waitFor({ timeout: 15_000 });
    await queue.getByRole("button", { name: "Purge…" }).click();
    await queue.getByRole("button", { name: "Cancel" }).click();
    expect(await queue.locator("tbody tr").count()).toBeGreaterThan(0);
    await queue.getByRole("button", { name: "Purge…" }).click();
    await queue.getByRole("button", { name: "Yes, purge" }).click();
    await expect
      .poll(() => page.locator("p.status").textContent())
      .toBe("ebsvc-backtosource-dlq purged");
    await expect.poll(() => queue.locator("tbody tr").count()).toBe(0);
  });

  it("shows a service's log lines, filtered, each linked to the trace of its invocation's event", async () => {
    await open("logs");
    await page.getByLabel("Service").selectOption("backtosource");
    await page.getByLabel("Text").fill(seedId);
    const line = page.locator(".virtual-list .line a", { hasText: "Hello AWS!" }).first();
    await line.waitFor();
    await snap("logs");
    await line.click();
    expect(page.url()).toContain(`#/trace/${seedId}`);
  });

  it("refuses state-changing calls without the page's token or from another origin (403)", async () => {
    const token = await page.locator('meta[name="console-token"]').getAttribute("content");
    expect(token).toMatch(/^[\w-]{20,}$/);
    const call = (headers: Record<string, string>) =>
      status(`${environment.url}/_console/purge`, "POST", {
        "Content-Type": "application/json",
        ...headers,
      });
    const origin = environment.url as string;
    expect(await call({ Origin: origin })).toBe(403);
    expect(await call({ Origin: origin, "X-Console-Token": "guess" })).toBe(403);
    expect(await call({ Origin: "http://evil.example", "X-Console-Token": token as string })).toBe(
      403,
    );
    expect(await call({ "X-Console-Token": token as string })).toBe(403);
    expect(
      await call({
        Origin: origin,
        "Sec-Fetch-Site": "cross-site",
        "X-Console-Token": token as string,
      }),
    ).toBe(403);
    // A DNS name rebound to 127.0.0.1 is not the console's.
    expect(await status(`${environment.url}/`, "GET", { Host: "attacker.example" })).toBe(403);
  });

  it("asks for nothing outside the machine and raises no script errors", () => {
    const outside = requested.filter((url) => !url.startsWith(`${environment.url}/`));
    expect(outside).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("shows the server gone as disconnected, and reconnects by itself when it is back", async () => {
    await open("timeline");
    await expect.poll(() => page.getByTestId("connection").textContent()).toContain("live");
    const port = Number(new URL(environment.url as string).port);
    await environment.stop();
    await expect
      .poll(() => page.getByTestId("connection").textContent(), { timeout: 10_000 })
      .toContain("disconnected");
    environment = await start(port);
    await expect
      .poll(() => page.getByTestId("connection").textContent(), { timeout: 15_000 })
      .toContain("live");
  });
});
