import { randomUUID } from "node:crypto";
import type { FunctionModel, LocalModel, RuleModel } from "@ebsvc/cloud-assembly";
import { parseArn } from "@ebsvc/cloud-assembly";
import type { BusEvent } from "../bus-event.js";
import type { EventsBackend, LocalBusHandle } from "../events-backend.js";
import { AsyncLambda } from "./async-lambda.js";
import { Clock } from "./clock.js";
import { DeliveryError } from "./delivery-error.js";
import {
  eventOversize,
  invokeOversize,
  messageOversize,
  oversizeNotice,
} from "./destination-limits.js";
import { type FunctionRuntime, startFunctionRuntime } from "./function-runtime.js";
import { asJson, asText, type TransformedInput } from "./input-transformer.js";
import { destinationEvent, type InvocationRecord } from "./invocation-record.js";
import { LocalBus } from "./local-bus.js";
import type { MessageAttributes, Observer } from "./observations.js";
import type { QueuePort } from "./queue-port.js";
import { startSchedules } from "./schedules.js";
import { Settlement } from "./settlement.js";
import { deliverToTarget } from "./target-delivery.js";

export interface LocalCloudOptions {
  /** Multiplies every AWS wait and age (retry delays, maximum event ages). @default 1 */
  readonly timeScale?: number;
  /** Runtime processes per function. @default 4 */
  readonly concurrency?: number;
  /** Where each function's logs go, by service id. @default process.stderr */
  readonly functionLogs?: (serviceId: string) => NodeJS.WritableStream;
  /** Told of every bus event, queue message and notice, as it happens. */
  readonly observer?: Observer;
  /** Makes the local twin of each queue of the model. */
  readonly createQueue: (queue: LocalModel["queues"][number]) => QueuePort;
}

/**
 * The synthesized app, running on this machine: its buses route events by their rules'
 * patterns to targets; functions run asynchronously with Lambda's retries, maximum event age
 * and destinations; queues keep what reaches them.
 */
export class LocalCloud implements EventsBackend {
  readonly account: string;
  readonly region: string;
  private readonly buses = new Map<string, LocalBus>();
  private readonly queues = new Map<string, QueuePort>();
  private readonly lambdas = new Map<string, AsyncLambda>();
  private readonly runtimes: FunctionRuntime[] = [];
  private readonly settlement = new Settlement();
  private readonly clock: Clock;
  private readonly observe: Observer;

  private constructor(
    readonly model: LocalModel,
    private readonly options: LocalCloudOptions,
  ) {
    this.account = model.place.account;
    this.region = model.place.region;
    this.clock = new Clock(options.timeScale ?? 1);
    this.observe = options.observer ?? (() => {});
  }

  static async start(model: LocalModel, options: LocalCloudOptions): Promise<LocalCloud> {
    const cloud = new LocalCloud(model, options);
    try {
      await cloud.build();
    } catch (error) {
      await cloud.stop();
      throw error;
    }
    return cloud;
  }

  private async build(): Promise<void> {
    const { model } = this;
    for (const bus of model.buses) this.buses.set(bus.name, new LocalBus(bus));
    for (const rule of model.rules) this.buses.get(rule.busName)?.addRule(rule);
    for (const archive of model.archives) this.buses.get(archive.busName)?.addArchive(archive);
    for (const queue of model.queues) this.queues.set(queue.arn, this.options.createQueue(queue));
    for (const warning of model.warnings) this.observe({ kind: "notice", message: warning });
    // Refuses a bad ScheduleExpression before anything starts.
    startSchedules(model.rules, {
      clock: this.clock,
      account: this.account,
      region: this.region,
      fire: (rule, event) => {
        // Only the rule's own targets get a scheduled event; it is shown as on the rule's bus.
        this.observe({ kind: "bus", bus: rule.busName, event });
        this.deliverToRule(rule, event);
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
          deliverRecord: (arn, record) => this.deliverRecord(arn, record),
          notice: (message) => this.observe({ kind: "notice", message }),
        }),
      );
    }
  }

  private async startRuntime(fn: FunctionModel): Promise<FunctionRuntime | undefined> {
    if (!fn.service) return undefined;
    const runtime = await startFunctionRuntime(
      { ...fn, service: fn.service },
      {
        region: this.region,
        concurrency: this.options.concurrency ?? 4,
        output: this.options.functionLogs?.(fn.service.id) ?? process.stderr,
      },
    );
    this.runtimes.push(runtime);
    return runtime;
  }

  findBus(nameOrArn: string): LocalBusHandle | undefined {
    const name = nameOrArn.startsWith("arn:")
      ? nameOrArn.slice(nameOrArn.indexOf(":event-bus/") + ":event-bus/".length)
      : nameOrArn;
    const bus = this.buses.get(name);
    if (!bus || (nameOrArn.startsWith("arn:") && bus.arn !== nameOrArn)) return undefined;
    return { name: bus.name, arn: bus.arn, put: (event) => this.putOnBus(bus, event) };
  }

  /** The local twin of a queue, by ARN. */
  queue(arn: string): QueuePort | undefined {
    return this.queues.get(arn);
  }

  /** What an archive holds. */
  archived(busName: string, archiveName: string): readonly BusEvent[] | undefined {
    return this.buses.get(busName)?.archived(archiveName);
  }

  /** Resolves once every event put so far has reached its end. */
  settled(): Promise<void> {
    return this.settlement.idle();
  }

  /** Stops the runtimes and abandons pending retries. */
  async stop(): Promise<void> {
    this.clock.stop();
    await Promise.all(this.runtimes.map((runtime) => runtime.stop()));
  }

  private putOnBus(bus: LocalBus, event: BusEvent): void {
    this.observe({ kind: "bus", bus: bus.name, event });
    for (const rule of bus.route(event)) this.deliverToRule(rule, event);
  }

  private deliverToRule(rule: RuleModel, event: BusEvent): void {
    for (const target of rule.targets) {
      void this.settlement.track(() =>
        deliverToTarget(rule, target, event, {
          clock: this.clock,
          handOver: (arn, payload) => this.handOver(arn, payload),
          sendToQueue: (arn, body, attributes) => this.sendToQueue(arn, body, attributes),
          notice: (message) => this.observe({ kind: "notice", message }),
        }),
      );
    }
  }

  /** What EventBridge does with a target ARN; throws DeliveryError when it cannot. */
  private handOver(arn: string, input: BusEvent | TransformedInput | InvocationRecord): void {
    const parsed = parseArn(arn);
    switch (parsed?.service) {
      case "lambda": {
        const [, name, qualifier = "$LATEST"] = parsed.resource.split(":");
        const unqualified = arn.split(":").slice(0, 7).join(":");
        const lambda = this.lambdas.get(unqualified);
        const known =
          lambda &&
          (qualifier === "$LATEST" || qualifier in lambda.fn.aliases || /^\d+$/.test(qualifier));
        if (!lambda || !known) {
          throw new DeliveryError(
            "ResourceNotFoundException",
            `Function not found: ${arn} (no function ${name} with that qualifier in the assembly)`,
          );
        }
        const payload = asJson(input);
        void this.settlement.track(() => lambda.invoke(qualifier, payload));
        return;
      }
      case "events": {
        const bus = this.findBus(arn);
        if (!bus)
          throw new DeliveryError("ResourceNotFoundException", `Event bus ${arn} does not exist.`);
        // A bus target receives the event as it is, id and all, like a PutEvents of it.
        bus.put(asJson(input) as BusEvent);
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
  private deliverRecord(arn: string, record: InvocationRecord): void {
    const service = parseArn(arn)?.service;
    try {
      if (service === "events") {
        const bus = this.findBus(arn);
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
          this.notice(oversizeNotice(record, arn, oversize));
          return;
        }
        bus.put(event);
      } else if (service === "sqs") {
        const body = JSON.stringify(record);
        const oversize = messageOversize(body, arn, this.model.queues);
        if (oversize) {
          this.notice(oversizeNotice(record, arn, oversize));
          return;
        }
        if (!this.sendToQueue(arn, body, {})) {
          throw new DeliveryError("ResourceNotFoundException", `no queue ${arn}`);
        }
      } else {
        const oversize = service === "lambda" ? invokeOversize(record) : undefined;
        if (oversize) {
          this.notice(oversizeNotice(record, arn, oversize));
          return;
        }
        this.handOver(arn, record);
      }
    } catch (error) {
      this.observe({
        kind: "notice",
        message: `${record.requestContext.functionArn}: the ${record.requestContext.condition} record could not reach its destination ${arn} (${(error as Error).message}); AWS drops it`,
      });
    }
  }
}
