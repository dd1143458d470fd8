import { rmSync } from "node:fs";
import { Writable } from "node:stream";
import { readModel } from "@ebsvc/cloud-assembly";
import { ACCOUNT, REGION, synthScheduleApp } from "@ebsvc/test-fixtures";
import { describe, expect, it } from "vitest";
import type { BusEvent } from "../src/bus-event.js";
import { LocalCloud } from "../src/engine/local-cloud.js";
import { parseSchedule } from "../src/engine/schedules.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `count` times a schedule fires after `from`. */
function firings(expression: string, from: string, count = 3): (string | undefined)[] {
  const schedule = parseSchedule(expression, "rule R");
  const times: (string | undefined)[] = [];
  let after: number | undefined = at(from);
  for (let i = 0; i < count && after !== undefined; i += 1) {
    after = schedule.next(after);
    times.push(iso(after));
  }
  return times;
}

describe("parseSchedule", () => {
  it("rate: one period after the last firing, in minutes, hours or days", () => {
    expect(firings("rate(1 minute)", "2026-11-30T10:00:30Z", 2)).toEqual([
      "2026-11-30T10:01:30.000Z",
      "2026-11-30T10:02:30.000Z",
    ]);
    expect(firings("rate(2 hours)", "2026-11-30T10:00:00Z", 1)).toEqual([
      "2026-11-30T12:00:00.000Z",
    ]);
    expect(firings("rate(1 day)", "2026-11-30T10:00:00Z", 1)).toEqual(["2026-12-01T10:00:00.000Z"]);
  });

  // Examples from EventBridge's "Schedule expressions for rules" page (UTC).
  it.each([
    [
      "cron(0 10 * * ? *)",
      "2026-11-30T10:03:00Z",
      ["2026-12-01T10:00:00.000Z", "2026-12-02T10:00:00.000Z"],
    ],
    [
      "cron(15 12 * * ? *)",
      "2026-11-30T10:03:00Z",
      ["2026-11-30T12:15:00.000Z", "2026-12-01T12:15:00.000Z"],
    ],
    // 2026-12-04 is a Friday: the next weekday evening after it is Monday's.
    [
      "cron(0 18 ? * MON-FRI *)",
      "2026-12-04T18:00:00Z",
      ["2026-12-07T18:00:00.000Z", "2026-12-08T18:00:00.000Z"],
    ],
    [
      "cron(0 8 1 * ? *)",
      "2026-11-30T10:03:00Z",
      ["2026-12-01T08:00:00.000Z", "2027-01-01T08:00:00.000Z"],
    ],
    [
      "cron(0/15 * * * ? *)",
      "2026-11-30T10:03:00Z",
      ["2026-11-30T10:15:00.000Z", "2026-11-30T10:30:00.000Z"],
    ],
    [
      "cron(0/5 8-17 ? * MON-FRI *)",
      "2026-11-30T17:56:00Z",
      ["2026-12-01T08:00:00.000Z", "2026-12-01T08:05:00.000Z"],
    ],
    [
      "cron(0 9 ? * 2#1 *)",
      "2026-11-30T10:03:00Z",
      ["2026-12-07T09:00:00.000Z", "2027-01-04T09:00:00.000Z"],
    ],
    [
      "cron(0 12 L * ? *)",
      "2026-11-30T12:00:00Z",
      ["2026-12-31T12:00:00.000Z", "2027-01-31T12:00:00.000Z"],
    ],
    [
      "cron(0 12 15W * ? *)",
      "2026-11-30T10:00:00Z",
      ["2026-12-15T12:00:00.000Z", "2027-01-15T12:00:00.000Z"],
    ],
    [
      "cron(0 12 ? * 6L *)",
      "2026-11-30T10:00:00Z",
      ["2026-12-25T12:00:00.000Z", "2027-01-29T12:00:00.000Z"],
    ],
    ["cron(0 0 1 1 ? 2027)", "2026-11-30T10:00:00Z", ["2027-01-01T00:00:00.000Z", undefined]],
  ])("%s after %s", (expression, from, expected) => {
    expect(firings(expression, from, 2)).toEqual(expected);
  });

  it.each([
    ["rate(1 minutes)", 'say "1 minute"'],
    ["rate(5 minute)", 'say "5 minutes"'],
    ["rate(0 minutes)", "the rate must be a positive whole number"],
    ["rate(5 seconds)", "allowed: rate(value unit) or cron(fields)"],
    ["cron(0 12 * *)", "a cron expression has 6 fields"],
    ["cron(0 12 * * * *)", "exactly one of Day-of-month and Day-of-week must be ?"],
    ["cron(0 12 ? * ? *)", "exactly one of Day-of-month and Day-of-week must be ?"],
    ["cron(0 25 * * ? *)", "cron(0 25 * * ? *)"],
  ])("refuses %s with one line", (expression, message) => {
    expect(() => parseSchedule(expression, "rule Stack/R")).toThrow(message);
    expect(() => parseSchedule(expression, "rule Stack/R")).toThrow(
      `rule Stack/R: ScheduleExpression ${JSON.stringify(expression)}: `,
    );
  });
});

describe("scheduled rules in the local cloud", () => {
  it("put the scheduled event to the rule's targets at AWS's times, scaled by the time scale", async () => {
    const assembly = synthScheduleApp();
    const bodies: Record<string, string[]> = { minutes: [], "five-minutes": [] };
    const busEvents: BusEvent[] = [];
    const cloud = await LocalCloud.start(readModel(assembly), {
      // One AWS minute is 30 ms: in 700 ms, about 23 minutes pass.
      timeScale: 0.0005,
      observer: (o) => {
        if (o.kind === "bus") busEvents.push(o.event);
      },
      createQueue: (queue) => ({
        name: queue.name,
        arn: queue.arn,
        send: (body) => bodies[queue.name]?.push(body),
      }),
      functionLogs: () => new Writable({ write: (_c, _e, done) => done() }),
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
    } finally {
      await cloud.stop();
      rmSync(assembly, { recursive: true, force: true });
    }
    const minutes = (bodies.minutes ?? []).map((body) => JSON.parse(body) as BusEvent);
    expect(minutes.length).toBeGreaterThanOrEqual(5);
    const rule = cloud.model.rules.find((r) => r.path.includes("EveryMinute"));
    expect(minutes[0]).toMatchObject({
      version: "0",
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: ACCOUNT,
      region: REGION,
      resources: [rule?.arn],
      detail: {},
    });
    // One AWS minute apart, to the second.
    const times = minutes.map((event) => Date.parse(event.time));
    for (let i = 1; i < times.length; i += 1)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBe(60_000);

    const fives = (bodies["five-minutes"] ?? []).map((body) => JSON.parse(body));
    expect(fives.length).toBeGreaterThanOrEqual(2);
    const fiveRule = cloud.model.rules.find((r) => r.path.includes("EveryFiveMinutes"));
    for (const body of fives) {
      expect(body.rule).toBe(fiveRule?.name);
      expect(new Date(body.time).getUTCMinutes() % 5).toBe(0);
      expect(new Date(body.time).getUTCSeconds()).toBe(0);
    }
    expect(busEvents.every((event) => event.source === "aws.events")).toBe(true);
  });
});
