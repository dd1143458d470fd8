import type { LocalModel } from "@ebsvc/cloud-assembly";
import { DeadLetterQueue, serviceQueue } from "@ebsvc/dlq";
import { validatePattern } from "@ebsvc/event-patterns";
import { AwsError } from "../protocols/aws-error.js";
import type { AwsJsonService } from "../protocols/aws-service.js";
import type { QueueStore } from "../queues/queue-store.js";
import type { EventLog, LogEntry } from "../state/event-log.js";
import { architectureGraph, edgeId, functionOf } from "./architecture-graph.js";
import { explainMatch } from "./why-not-matched.js";

export interface ConsoleSources {
  readonly model: LocalModel;
  readonly log: EventLog;
  readonly queues: QueueStore;
  /** The endpoint's PutEvents: the console's sends are validated and answered as the SDK's are. */
  readonly events: AwsJsonService;
  /** The PutEvents/SQS endpoint: dead letters are read and redriven through it, as `pnpm dlq` does. */
  readonly endpoint: () => string;
}

/** A refusal the page shows as it is worded. */
export class ConsoleInputError extends Error {}

/** An entry as the page gets it: the observation, with the rules it matched and the edges it crossed. */
export type ConsoleEntry = {
  seq: number;
  at: number;
  matched?: string[];
  edges?: string[];
} & Record<string, unknown>;

interface RecordShape {
  requestContext?: { functionArn?: string };
}

/** What the console's API answers, over the environment it shows. */
export class ConsoleApi {
  constructor(private readonly sources: ConsoleSources) {}

  graph() {
    return { ...architectureGraph(this.sources.model), place: this.sources.model.place };
  }

  /** Annotates an entry for the page: the graph's edges it crossed, a dead letter's queue. */
  present(entry: LogEntry): ConsoleEntry {
    const { model } = this.sources;
    const { observation } = entry;
    const base: ConsoleEntry = { seq: entry.seq, at: entry.at, ...observation };
    if (observation.kind === "match") {
      const bus = model.buses.find((b) => b.name === observation.bus);
      const edges = bus ? [edgeId(bus.arn, observation.ruleArn)] : [];
      for (const target of observation.targets) {
        edges.push(edgeId(observation.ruleArn, functionOf(model, target)?.arn ?? target));
      }
      return { ...base, edges };
    }
    if (observation.kind === "bus") {
      const bus = model.buses.find((b) => b.name === observation.bus);
      const cause = observation.cause;
      const fn = cause && "functionArn" in cause ? functionOf(model, cause.functionArn) : undefined;
      return { ...base, edges: fn && bus ? [edgeId(fn.arn, bus.arn)] : [] };
    }
    if (observation.kind === "queue") {
      const queue = model.queues.find((q) => q.name === observation.queue);
      const record = parseJson(observation.body) as RecordShape | undefined;
      const fnArn = record?.requestContext?.functionArn;
      const fn = fnArn ? functionOf(model, fnArn) : undefined;
      return {
        ...base,
        queueArn: queue?.arn,
        edges: fn && queue ? [edgeId(fn.arn, queue.arn)] : [],
      };
    }
    return base;
  }

  subscribe(listener: (entry: ConsoleEntry) => void): () => void {
    return this.sources.log.subscribe((entry) => listener(this.present(entry)));
  }

  latest(limit: number): ConsoleEntry[] {
    return this.sources.log.latest(limit).map((entry) => this.present(entry));
  }

  after(seq: number, limit: number): ConsoleEntry[] {
    return this.sources.log.after(seq, limit).map((entry) => this.present(entry));
  }

  trace(eventId: string): ConsoleEntry[] {
    return this.sources.log.trace(eventId).map((entry) => this.present(entry));
  }

  /** For an event in the log: every rule of its bus, whether it matches, and the fields that fail. */
  why(eventId: string) {
    const entry = this.sources.log
      .trace(eventId)
      .find((e) => e.observation.kind === "bus" && e.observation.event.id === eventId);
    if (entry?.observation.kind !== "bus") {
      throw new ConsoleInputError(`no event ${eventId} in the log (it may have aged out)`);
    }
    const { bus, event } = entry.observation;
    return {
      bus,
      event,
      rules: this.sources.model.rules
        .filter((rule) => rule.busName === bus)
        .map((rule) => ({
          rule: rule.name,
          ruleArn: rule.arn,
          pattern: rule.pattern,
          ...explainMatch(rule.pattern, event),
        })),
    };
  }

  /** PutEvents, exactly as the endpoint answers it: the same validation and the same errors. */
  send(input: Record<string, unknown>) {
    const entry = {
      EventBusName: input.bus,
      Source: input.source,
      DetailType: input.detailType,
      Detail: input.detail,
      ...(Array.isArray(input.resources) && { Resources: input.resources }),
    };
    try {
      const answer = this.sources.events.handle("PutEvents", { Entries: [entry] } as never, {
        requestId: "console",
        signal: AbortSignal.timeout(60_000),
      }) as { Entries: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] };
      const [result] = answer.Entries;
      if (!result?.EventId) {
        throw new ConsoleInputError(`${result?.ErrorCode}: ${result?.ErrorMessage}`);
      }
      return { eventId: result.EventId };
    } catch (error) {
      if (error instanceof AwsError) throw new ConsoleInputError(`${error.type}: ${error.message}`);
      throw error;
    }
  }

  /** Tests a pattern, worded as PutRule refuses it, against a pasted event or a bus's last events. */
  sandbox(input: Record<string, unknown>) {
    const pattern = parseField(input.pattern, "the pattern");
    const problem = validatePattern(pattern);
    if (problem !== undefined) throw new ConsoleInputError(problem);
    const events: { eventId?: string; bus?: string; event: unknown }[] = [];
    if (typeof input.event === "string" && input.event.trim() !== "") {
      const event = parseField(input.event, "the event") as { id?: string };
      events.push({ eventId: event?.id, event });
    } else {
      const last = Math.min(Number(input.last) || 20, 500);
      for (const entry of this.sources.log.latest(20_000).reverse()) {
        if (events.length >= last) break;
        const o = entry.observation;
        if (o.kind === "bus" && (!input.bus || o.bus === input.bus)) {
          events.push({ eventId: o.event.id, bus: o.bus, event: o.event });
        }
      }
    }
    return {
      results: events.map(({ eventId, bus, event }) => ({
        eventId,
        bus,
        event,
        ...explainMatch(pattern, event),
      })),
    };
  }

  /** Each service's dead-letter queue: its depth and letters, read as `pnpm dlq list` reads them. */
  async deadLetters() {
    const services = this.services();
    return Promise.all(
      services.map(async (serviceId) => {
        const target = serviceQueue(this.sources.model, serviceId);
        const dlq = this.connect(serviceId);
        try {
          const { letters } = await dlq.list();
          const counts = this.sources.queues.find(target.queue.arn)?.attributes();
          return {
            service: serviceId,
            queue: target.queue.name,
            bus: target.bus.name,
            depth: counts
              ? Number(counts.ApproximateNumberOfMessages) +
                Number(counts.ApproximateNumberOfMessagesNotVisible)
              : letters.length,
            letters: letters.map((letter) => ({
              messageId: letter.messageId,
              kind: letter.kind,
              reason: letter.reason,
              sentAt: letter.sentAt,
              attempts: attempts(letter.body),
              event: letter.event,
            })),
          };
        } finally {
          dlq.close();
        }
      }),
    );
  }

  /** Messages in each queue, by ARN, without receiving any (the graph marks queues holding letters). */
  queueDepths(): Record<string, number> {
    return Object.fromEntries(
      this.sources.model.queues.map((q) => {
        const counts = this.sources.queues.find(q.arn)?.attributes();
        const depth = counts
          ? Number(counts.ApproximateNumberOfMessages) +
            Number(counts.ApproximateNumberOfMessagesNotVisible)
          : 0;
        return [q.arn, depth];
      }),
    );
  }

  /** `pnpm dlq redrive`, in process against the local endpoint. */
  async redrive(input: Record<string, unknown>) {
    const serviceId = this.knownService(input.service);
    const ids = Array.isArray(input.messageIds) ? input.messageIds.map(String) : undefined;
    const dlq = this.connect(serviceId);
    try {
      const result = await dlq.redrive(ids);
      return {
        redriven: result.redriven.map((l) => l.messageId),
        kept: result.kept.map(({ letter, why }) => ({ messageId: letter.messageId, why })),
      };
    } finally {
      dlq.close();
    }
  }

  purge(input: Record<string, unknown>) {
    const serviceId = this.knownService(input.service);
    const target = serviceQueue(this.sources.model, serviceId);
    try {
      this.sources.queues.find(target.queue.arn)?.purge();
    } catch (error) {
      // SQS allows one purge a minute, and says so.
      throw new ConsoleInputError((error as Error).message);
    }
    return { purged: target.queue.name };
  }

  private services(): string[] {
    return this.sources.model.functions.flatMap((fn) => {
      if (!fn.service) return [];
      try {
        serviceQueue(this.sources.model, fn.service.id);
        return [fn.service.id];
      } catch {
        return [];
      }
    });
  }

  private knownService(value: unknown): string {
    const services = this.services();
    if (typeof value !== "string" || !services.includes(value)) {
      throw new ConsoleInputError(
        `service is ${JSON.stringify(value)}; services with a dead-letter queue: ${services.join(", ")}`,
      );
    }
    return value;
  }

  private connect(serviceId: string): DeadLetterQueue {
    return DeadLetterQueue.connect(serviceQueue(this.sources.model, serviceId), {
      region: this.sources.model.place.region,
      endpoint: this.sources.endpoint(),
    });
  }
}

function attempts(body: unknown): number | undefined {
  return (body as { requestContext?: { approximateInvokeCount?: number } } | undefined)
    ?.requestContext?.approximateInvokeCount;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseField(value: unknown, what: string): unknown {
  if (typeof value !== "string") throw new ConsoleInputError(`${what} must be JSON text`);
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new ConsoleInputError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}
