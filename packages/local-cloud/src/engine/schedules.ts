import { randomUUID } from "node:crypto";
import { AssemblyError, type RuleModel } from "@ebsvc/cloud-assembly";
import { Cron } from "croner";
import type { BusEvent } from "../bus-event.js";
import type { Clock } from "./clock.js";
import { eventTime } from "./invocation-record.js";

/** When a schedule fires next, strictly after `afterMs` (epoch ms); undefined: never again. */
export interface Schedule {
  next(afterMs: number): number | undefined;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
/** Highest value of each EventBridge cron field, to spell `5/10` as `5-59/10` for croner. */
const FIELD_MAX = [59, 23, 31, 12, 7, 2199];

/**
 * Reads a ScheduleExpression as EventBridge does: `rate(1 minute)` or `rate(N minutes|hours|
 * days)` (singular for 1, plural above), or `cron(Minutes Hours Day-of-month Month
 * Day-of-week Year)` in UTC, with `,` `-` `*` `/` `?` `L` `W` `#`, names (JAN, MON), days of
 * the week 1-7 = SUN-SAT, and `?` in exactly one of the two day fields.
 */
export function parseSchedule(expression: string, where: string): Schedule {
  const refuse = (why: string): never => {
    throw new AssemblyError(`${where}: ScheduleExpression ${JSON.stringify(expression)}: ${why}`);
  };
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? "";
    if (value < 1) refuse("the rate must be a positive whole number");
    if ((value === 1) !== !unit.endsWith("s")) {
      refuse(
        `say "${value} ${value === 1 ? unit.replace(/s$/, "") : `${unit.replace(/s$/, "")}s`}"`,
      );
    }
    const periodMs = value * UNIT_MS[unit.replace(/s$/, "") as keyof typeof UNIT_MS];
    return { next: (afterMs) => afterMs + periodMs };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return refuse("allowed: rate(value unit) or cron(fields)");
  const fields = (cron[1] ?? "").trim().split(/\s+/);
  if (fields.length !== 6) {
    refuse("a cron expression has 6 fields: Minutes Hours Day-of-month Month Day-of-week Year");
  }
  const [dayOfMonth, dayOfWeek] = [fields[2], fields[4]];
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    refuse("exactly one of Day-of-month and Day-of-week must be ?");
  }
  const croner = fields
    .map((field, index) =>
      field
        // croner steps from a range, EventBridge also from a start value: 0/5 is 0-59/5.
        .replace(/^(\d+)\/(\d+)$/, `$1-${FIELD_MAX[index]}/$2`)
        // EventBridge's "last such weekday" (5L) is croner's 5#L.
        .replace(/^(\d)L$/, index === 4 ? "$1#L" : "$1L"),
    )
    .join(" ");
  let job: Cron;
  try {
    job = new Cron(`0 ${croner}`, {
      timezone: "UTC",
      mode: "7-part",
      alternativeWeekdays: true,
      paused: true,
    });
  } catch (error) {
    return refuse((error as Error).message);
  }
  return { next: (afterMs) => job.nextRun(new Date(afterMs))?.getTime() };
}

/** The event EventBridge sends a scheduled rule's targets. */
function scheduledEvent(
  rule: RuleModel,
  atMs: number,
  place: { account: string; region: string },
): BusEvent {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Scheduled Event",
    source: "aws.events",
    account: place.account,
    time: eventTime(atMs),
    region: place.region,
    resources: [rule.arn],
    detail: {},
  };
}

export interface ScheduleHooks {
  readonly clock: Clock;
  readonly account: string;
  readonly region: string;
  /** Sends the scheduled event to the rule's targets. */
  fire(rule: RuleModel, event: BusEvent): void;
}

/**
 * Runs every enabled scheduled rule until the returned function is called. Schedules run on AWS
 * time: it starts now and passes `1 / clock.scale` times faster than real time, so
 * `--time-scale 0.001` fires `rate(1 minute)` every 60 ms, and the events' `time` is that AWS
 * time. Parses every expression first: a bad one stops the start with one line.
 */
export function startSchedules(rules: readonly RuleModel[], hooks: ScheduleHooks): () => void {
  const scheduled = rules.flatMap((rule) =>
    rule.schedule !== undefined && rule.enabled
      ? [{ rule, schedule: parseSchedule(rule.schedule, `rule ${rule.path}`) }]
      : [],
  );
  const startMs = hooks.clock.now();
  const awsNow = () => startMs + (hooks.clock.now() - startMs) / hooks.clock.scale;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  for (const { rule, schedule } of scheduled) {
    const arm = (due: number | undefined) => {
      if (due === undefined || stopped) return;
      const wallMs = Math.max(0, (due - awsNow()) * hooks.clock.scale);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopped) return;
        hooks.fire(rule, scheduledEvent(rule, due, hooks));
        arm(schedule.next(due));
      }, wallMs);
      timers.add(timer);
    };
    arm(schedule.next(awsNow()));
  }
  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}
