import { randomUUID } from "node:crypto";
import type { FunctionModel, LocalModel, RuleModel } from "@ebsvc/cloud-assembly";
import { functionArnOf, parseArn } from "@ebsvc/cloud-assembly";
import { SERVICE_SOURCE_METADATA } from "@ebsvc/service-contract";
import type { BusEvent } from "../bus-event.js";
import type { EventsBackend, LocalBusHandle } from "../events-backend.js";
import { ArchiveStore } from "../state/archive-store.js";
import { StateDatabase } from "../state/state-database.js";
import { type WorkItem, WorkQueue } from "../state/work-queue.js";
import { AsyncLambda, type PendingInvocation } from "./async-lambda.js";
import { Clock } from "./clock.js";
import { DeliveryError } from "./delivery-error.js";
import {
  eventOversize,
  invokeOversize,
  messageOversize,
  oversizeNotice,
} from "./destination-limits.js";
import {
  type FunctionRuntime,
  type InspectTarget,
  startFunctionRuntime,
} from "./function-runtime.js";
import { asJson, asText, type TransformedInput } from "./input-transformer.js";
import { destinationEvent, type InvocationRecord } from "./invocation-record.js";
import { LocalBus } from "./local-bus.js";
import type { EventCause, MessageAttributes, Observer } from "./observations.js";
import type { QueuePort } from "./queue-port.js";
import { RuntimeLogLines } from "./runtime-log-lines.js";
import { Scheduler } from "./scheduler.js";
import { startSchedules } from "./schedules.js";
import { attemptDelivery, newDelivery, type PendingDelivery } from "./target-delivery.js";

export interface LocalCloudOptions {
  /** Multiplies every AWS wait and age (retry delays, maximum event ages). @default 1 */
  readonly timeScale?: number;
  /** Runtime processes per function. @default 4 */
  readonly concurrency?: number;
  /** Where each function's logs go, by service id. @default process.stderr */
  readonly functionLogs?: (serviceId: string) => NodeJS.WritableStream;
  /** Told of every bus event, match, invocation, log line, queue message and notice. */
  readonly observer?: Observer;
  /** Makes the local twin of each queue of the model. */
  readonly createQueue: (queue: LocalModel["queues"][number]) => QueuePort;
  /** Where pending work and archives are kept. @default an in-memory database */
  readonly state?: StateDatabase;
  /** Deliveries and invocations run at once; the rest wait in the database. @default 256 */
  readonly maxInFlight?: number;
  /** Runs this service's function under Node's inspector (`--inspect`). */
  readonly inspect?: InspectTarget;
}

/** A replay of archived events, as StartReplay runs it. */
export interface ReplayOptions {
  readonly name: string;
  readonly bus: string;
  /** The archive to replay (its name); every archive of the bus when absent. */
  readonly archive?: string;
  /** Only events archived in [from, to) (ms since the epoch). */
  readonly from?: number;
  readonly to?: number;
  /** Only to this rule of the bus (its name); otherwise to every rule. */
  readonly rule?: string;
}

/**
 * The synthesized app, running on this machine: its buses route events by their rules'
 * patterns to targets; functions run asynchronously with Lambda's retries, maximum event age
 * and destinations; queues keep what reaches them. Every step still owed (a delivery, an
 * invocation or its retry) is a row of the state database, committed with the step that
 * created it, so a restart on the same database picks up where the last run stopped.
 */
export class LocalCloud implements EventsBackend {
  readonly account: string;
  readonly region: string;
  readonly state: StateDatabase;
  private readonly ownsState: boolean;
  private readonly buses = new Map<string, LocalBus>();
  private readonly rules = new Map<string, RuleModel>();
  private readonly queues = new Map<string, QueuePort>();
  private readonly lambdas = new Map<string, AsyncLambda>();
  private readonly runtimes: FunctionRuntime[] = [];
  private readonly clock: Clock;
  private readonly observe: Observer;
  private readonly work: WorkQueue;
  private readonly archives: ArchiveStore;
  private readonly scheduler: Scheduler;
  private stopSchedules: () => void = () => {};

  private constructor(
    readonly model: LocalModel,
    private readonly options: LocalCloudOptions,
  ) {
    this.account = model.place.account;
    this.region = model.place.region;
    this.clock = new Clock(options.timeScale ?? 1);
    this.observe = options.observer ?? (() => {});
    this.ownsState = options.state === undefined;
    this.state = options.state ?? new StateDatabase(":memory:");
    this.work = new WorkQueue(this.state);
    this.archives = new ArchiveStore(this.state);
    this.scheduler = new Scheduler(this.work, {
      maxInFlight: options.maxInFlight ?? 256,
      run: (item) => this.runStep(item),
      onError: (item, error) =>
        this.observe({
          kind: "notice",
          message: `pending ${item.kind} #${item.id} failed unexpectedly and will be tried again: ${(error as Error).stack ?? String(error)}`,
        }),
    });
  }

  /** Starts the model's runtimes and resumes the work pending in the state database. */
  static async start(model: LocalModel, options: LocalCloudOptions): Promise<LocalCloud> {
    const cloud = new LocalCloud(model, options);
    try {
      await cloud.build();
    } catch (error) {
      await cloud.stop();
      throw error;
    }
    cloud.scheduler.wake();
    return cloud;
  }

  private async build(): Promise<void> {
    const { model } = this;
    for (const bus of model.buses) this.buses.set(bus.name, new LocalBus(bus));
    for (const rule of model.rules) {
      this.buses.get(rule.busName)?.addRule(rule);
      this.rules.set(rule.arn, rule);
    }
    for (const archive of model.archives) this.buses.get(archive.busName)?.addArchive(archive);
    for (const queue of model.queues) this.queues.set(queue.arn, this.options.createQueue(queue));
    for (const warning of model.warnings) this.observe({ kind: "notice", message: warning });
    // Refuses a bad ScheduleExpression before anything starts.
    this.stopSchedules = startSchedules(model.rules, {
      clock: this.clock,
      account: this.account,
      region: this.region,
      fire: (rule, event) => {
        const bus = this.buses.get(rule.busName);
        if (!bus) return;
        // Only the rule's own targets get a scheduled event; it is shown as on the rule's bus.
        this.state.transaction(() => {
          this.observe({ kind: "bus", bus: bus.name, event });
          this.deliverToRules(bus, [rule], event);
        });
      },
    });

    const started = await Promise.all(model.functions.map((fn) => this.startRuntime(fn)));
    for (const [index, fn] of model.functions.entries()) {
      const runtime = started[index];
      const configs = model.invokeConfigs.filter((config) => config.functionName === fn.name);
      this.lambdas.set(
        fn.arn,
        new AsyncLambda(fn, configs, runtime, {
          clock: this.clock,
          observe: this.observe,
          deliverRecord: (arn, record, invocation) => this.deliverRecord(arn, record, invocation),
        }),
      );
    }
  }

  private async startRuntime(fn: FunctionModel): Promise<FunctionRuntime | undefined> {
    if (!fn.service) return undefined;
    const logLines = new RuntimeLogLines(
      fn.service.id,
      this.observe,
      this.options.functionLogs?.(fn.service.id) ?? process.stderr,
    );
    const runtime = await startFunctionRuntime(
      { ...fn, service: fn.service },
      {
        region: this.region,
        concurrency: this.options.concurrency ?? 4,
        output: logLines.stream,
        logLines,
        inspect: this.options.inspect,
      },
    );
    this.runtimes.push(runtime);
    return runtime;
  }

  findBus(nameOrArn: string): LocalBusHandle | undefined {
    const bus = this.localBus(nameOrArn);
    if (!bus) return undefined;
    return { name: bus.name, arn: bus.arn, put: (event) => this.putOnBus(bus, event) };
  }

  /** What an archive holds. */
  archived(busName: string, archiveName: string): readonly BusEvent[] | undefined {
    if (!this.model.archives.some((a) => a.busName === busName && a.name === archiveName)) {
      return undefined;
    }
    return [...this.archives.events(busName, archiveName)];
  }

  /**
   * Replays archived events as StartReplay does: each event, with `replay-name` set, goes to
   * the bus's rules (or the one rule asked for) and is not archived again. Returns how many
   * events were replayed.
   */
  replay(options: ReplayOptions): number {
    const bus = this.localBus(options.bus);
    if (!bus)
      throw new DeliveryError(
        "ResourceNotFoundException",
        `Event bus ${options.bus} does not exist.`,
      );
    const onlyRule = options.rule === undefined ? undefined : bus.rule(options.rule);
    if (options.rule !== undefined && !onlyRule) {
      throw new DeliveryError(
        "ResourceNotFoundException",
        `Rule ${options.rule} does not exist on event bus ${bus.name}.`,
      );
    }
    let replayed = 0;
    const archives = this.model.archives.filter(
      (a) =>
        a.busName === bus.name && (options.archive === undefined || a.name === options.archive),
    );
    for (const archive of archives) {
      for (const archived of this.archives.events(
        bus.name,
        archive.name,
        options.from,
        options.to,
      )) {
        const event = { ...archived, "replay-name": options.name } as BusEvent;
        this.state.transaction(() => {
          this.observe({ kind: "bus", bus: bus.name, event });
          const rules = bus.route(event).filter((rule) => !onlyRule || rule === onlyRule);
          this.deliverToRules(bus, rules, event);
        });
        replayed++;
      }
    }
    return replayed;
  }

  /** Resolves once every event put so far has reached its end (retries included). */
  settled(): Promise<void> {
    return this.scheduler.idle();
  }

  /** Takes up work that another LocalCloud on the same state added while this one started. */
  resume(): void {
    this.work.recount();
    this.scheduler.wake();
  }

  /** A service's new bundle: its next invocations start fresh runtime processes. */
  reloadService(serviceId: string): boolean {
    const runtimes = this.runtimes.filter((runtime) => runtime.serviceId === serviceId);
    for (const runtime of runtimes) runtime.reload();
    return runtimes.length > 0;
  }

  /** Deliveries and invocations owed, in the state database. */
  get pending(): number {
    return this.work.size;
  }

  /**
   * Stops taking up work, lets steps running finish for up to `graceMs` (what does not stays
   * pending in the state database), stops the runtimes. Returns how many steps are pending.
   */
  async stop(graceMs = 0): Promise<number> {
    this.stopSchedules();
    const pending = await this.scheduler.stop(graceMs);
    await Promise.all(this.runtimes.map((runtime) => runtime.stop()));
    if (this.ownsState) this.state.close();
    return pending;
  }

  private localBus(nameOrArn: string): LocalBus | undefined {
    const name = nameOrArn.startsWith("arn:")
      ? nameOrArn.slice(nameOrArn.indexOf(":event-bus/") + ":event-bus/".length)
      : nameOrArn;
    const bus = this.buses.get(name);
    if (!bus || (nameOrArn.startsWith("arn:") && bus.arn !== nameOrArn)) return undefined;
    return bus;
  }

  /** Accepts an event: archived, matched and its deliveries pending, in one transaction. */
  private putOnBus(bus: LocalBus, event: BusEvent, cause?: EventCause): void {
    this.state.transaction(() => {
      this.observe({ kind: "bus", bus: bus.name, event, ...(cause && { cause }) });
      const now = this.clock.now();
      for (const archive of bus.archivesFor(event)) {
        this.archives.keep(bus.name, archive.name, event, now);
      }
      this.deliverToRules(bus, bus.route(event), event);
    });
  }

  private deliverToRules(bus: LocalBus, rules: readonly RuleModel[], event: BusEvent): void {
    const now = this.clock.now();
    for (const rule of rules) {
      this.observe({
        kind: "match",
        bus: bus.name,
        eventId: event.id,
        rule: rule.name,
        ruleArn: rule.arn,
        targets: rule.targets.map((target) => target.arn),
      });
      for (const target of rule.targets) {
        this.work.add("delivery", now, newDelivery(bus.name, rule, target, event, now));
      }
    }
    if (rules.length > 0) this.scheduler.wake();
  }

  private async runStep(item: WorkItem): Promise<void> {
    if (item.kind === "delivery") return this.deliveryStep(item.id, item.state as PendingDelivery);
    if (item.kind === "invocation") {
      return this.invocationStep(item.id, item.state as PendingInvocation);
    }
    this.state.batched(() => {
      this.observe({
        kind: "notice",
        message: `dropping pending work of unknown kind ${item.kind}`,
      });
      this.work.remove(item.id);
    });
  }

  private deliveryStep(id: number, delivery: PendingDelivery): void {
    const rule = this.rules.get(delivery.ruleArn);
    const target = rule?.targets.find((candidate) => candidate.id === delivery.targetId);
    this.state.batched(() => {
      if (!rule || !target) {
        this.observe({
          kind: "notice",
          message: `event ${delivery.event.id}: its rule ${delivery.ruleArn} (target ${delivery.targetId}) is no longer in the app; the pending delivery is dropped`,
        });
        this.work.remove(id);
        return;
      }
      const retry = attemptDelivery(rule, target, delivery, {
        clock: this.clock,
        handOver: (arn, payload) => this.handOver(arn, payload, delivery),
        sendToQueue: (arn, body, attributes) => this.sendToQueue(arn, body, attributes),
        notice: (message) => this.observe({ kind: "notice", message }),
      });
      if (retry) this.work.update(id, retry.dueAt, retry.next);
      else this.work.remove(id);
    });
  }

  private async invocationStep(id: number, invocation: PendingInvocation): Promise<void> {
    const lambda = this.lambdas.get(invocation.function);
    if (!lambda?.runnable) {
      this.state.batched(() => {
        this.observe({
          kind: "notice",
          message: `${invocation.function} is not in the app any more (or cannot run here); its pending invocation ${invocation.requestId} is dropped`,
        });
        this.work.remove(id);
      });
      return;
    }
    const result = await lambda.attempt(invocation);
    // Stopped meanwhile, past the grace: the invocation stays pending as it was, to run again.
    if (!this.state.db.isOpen) return;
    this.state.batched(() => {
      if (result.kind === "retry") this.work.update(id, result.dueAt, result.next);
      else {
        lambda.finish(result.next, result.condition);
        this.work.remove(id);
      }
    });
  }

  /** What EventBridge does with a target ARN; throws DeliveryError when it cannot. */
  private handOver(
    arn: string,
    input: BusEvent | TransformedInput | InvocationRecord,
    from: { event: BusEvent; ruleArn: string } | PendingInvocation,
  ): void {
    const parsed = parseArn(arn);
    switch (parsed?.service) {
      case "lambda": {
        // Lambda's resource part is function:<name>[:<qualifier>].
        const [, name, qualifier = "$LATEST"] = parsed.resource.split(":");
        const lambda = this.lambdas.get(functionArnOf(arn) ?? arn);
        const known =
          lambda &&
          (qualifier === "$LATEST" || qualifier in lambda.fn.aliases || /^\d+$/.test(qualifier));
        if (!lambda || !known) {
          throw new DeliveryError(
            "ResourceNotFoundException",
            `Function not found: ${arn} (no function ${name} with that qualifier in the assembly)`,
          );
        }
        if (!lambda.runnable) {
          this.observe({
            kind: "notice",
            message: `${lambda.fn.path}: not run, since the assembly does not say which service folder it comes from (no ${SERVICE_SOURCE_METADATA} metadata); an event for ${arn} is dropped`,
          });
          return;
        }
        const eventId = "event" in from ? from.event.id : from.eventId;
        const payload = asJson(input);
        this.work.add("invocation", this.clock.now(), lambda.accept(qualifier, payload, eventId));
        this.scheduler.wake();
        return;
      }
      case "events": {
        const bus = this.localBus(arn);
        if (!bus)
          throw new DeliveryError("ResourceNotFoundException", `Event bus ${arn} does not exist.`);
        // A bus target receives the event as it is, id and all, like a PutEvents of it.
        const cause: EventCause | undefined =
          "event" in from ? { eventId: from.event.id, ruleArn: from.ruleArn } : undefined;
        this.putOnBus(bus, asJson(input) as BusEvent, cause);
        return;
      }
      case "sqs": {
        if (!this.sendToQueue(arn, asText(input), {})) {
          throw new DeliveryError(
            "AWS.SimpleQueueService.NonExistentQueue",
            `Queue ${arn} does not exist.`,
          );
        }
        return;
      }
      default:
        throw new DeliveryError(
          "UnsupportedTarget",
          `the local environment does not run targets of ${parsed?.service ?? "unknown"} service (${arn})`,
        );
    }
  }

  private notice(message: string): void {
    this.observe({ kind: "notice", message });
  }

  private sendToQueue(arn: string, body: string, attributes: MessageAttributes): boolean {
    const queue = this.queues.get(arn);
    if (!queue) return false;
    queue.send(body, attributes);
    return true;
  }

  /** Sends an invocation record to a destination, as Lambda does for each destination type. */
  private deliverRecord(
    arn: string,
    record: InvocationRecord,
    invocation: PendingInvocation,
  ): void {
    const service = parseArn(arn)?.service;
    const { requestId, functionArn, condition } = record.requestContext;
    const told = {
      kind: "destination",
      requestId,
      functionArn,
      condition,
      destinationArn: arn,
    } as const;
    try {
      if (service === "events") {
        const bus = this.localBus(arn);
        if (!bus) throw new DeliveryError("ResourceNotFoundException", `no bus ${arn}`);
        const event = destinationEvent({
          record,
          busArn: bus.arn,
          id: randomUUID(),
          account: this.account,
          region: this.region,
          nowMs: this.clock.now(),
        });
        const oversize = eventOversize(event);
        if (oversize) {
          this.observe({ ...told, delivered: false });
          this.notice(oversizeNotice(record, arn, oversize));
          return;
        }
        this.observe({ ...told, delivered: true, eventId: event.id });
        this.putOnBus(
          bus,
          event,
          invocation.eventId === undefined
            ? undefined
            : { eventId: invocation.eventId, requestId, functionArn },
        );
      } else if (service === "sqs") {
        const body = JSON.stringify(record);
        const oversize = messageOversize(body, arn, this.model.queues);
        if (oversize) {
          this.observe({ ...told, delivered: false });
          this.notice(oversizeNotice(record, arn, oversize));
          return;
        }
        this.observe({ ...told, delivered: this.queues.has(arn) });
        if (!this.sendToQueue(arn, body, {})) {
          throw new DeliveryError("ResourceNotFoundException", `no queue ${arn}`);
        }
      } else {
        const oversize = service === "lambda" ? invokeOversize(record) : undefined;
        if (oversize) {
          this.observe({ ...told, delivered: false });
          this.notice(oversizeNotice(record, arn, oversize));
          return;
        }
        this.handOver(arn, record, invocation);
        this.observe({ ...told, delivered: true });
      }
    } catch (error) {
      if (service !== "sqs") this.observe({ ...told, delivered: false });
      this.observe({
        kind: "notice",
        message: `${functionArn}: the ${condition} record could not reach its destination ${arn} (${(error as Error).message}); AWS drops it`,
      });
    }
  }
}
