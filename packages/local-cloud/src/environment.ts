import { resolve } from "node:path";
import type { LocalModel } from "@ebsvc/cloud-assembly";
import { readModel } from "@ebsvc/cloud-assembly";
import { ConsoleApi } from "./console/console-api.js";
import { consoleRoutes } from "./console/console-routes.js";
import { localRoutes } from "./dev/local-routes.js";
import { ModelSwap } from "./dev/model-swap.js";
import { ObservationStream } from "./dev/observation-stream.js";
import type { InspectTarget } from "./engine/function-runtime.js";
import { LocalCloud } from "./engine/local-cloud.js";
import { messageAbout } from "./engine/message-about.js";
import type { Observation, Observer } from "./engine/observations.js";
import type { EventsBackend } from "./events-backend.js";
import { type RunningAwsJsonServer, startAwsJsonServer } from "./protocols/aws-json-server.js";
import { createEventsApi, type EventsApiOptions } from "./protocols/events-api.js";
import { createSqsApi } from "./protocols/sqs-api.js";
import { QueueStore } from "./queues/queue-store.js";
import { startReplay } from "./replay-api.js";
import {
  DEFAULT_LOG_RETENTION,
  type EventLog,
  type LogRetention,
  SqliteEventLog,
} from "./state/event-log.js";
import { Retention } from "./state/retention.js";
import { StateDatabase } from "./state/state-database.js";

export interface EnvironmentOptions {
  /** The cloud assembly folder (e.g. apps/infra/cdk.out). */
  readonly assembly: string;
  /** Serve PutEvents and SQS on this address; without it, nothing listens. */
  readonly listen?: { readonly host: string; readonly port: number };
  readonly timeScale?: number;
  readonly concurrency?: number;
  readonly observer?: Observer;
  /** Where each function's logs go, by service id. @default stderr */
  readonly functionLogs?: (serviceId: string) => NodeJS.WritableStream;
  /**
   * The state database file (queues, pending work, archives, event log); `:memory:` keeps
   * it in memory. @default ":memory:"
   */
  readonly stateFile?: string;
  /** How long the event log keeps entries. */
  readonly logRetention?: LogRetention;
  /** Runs this service's function under Node's inspector (`--inspect`). */
  readonly inspect?: InspectTarget;
}

/** The running local environment: the app's buses, functions and queues, and its endpoint. */
export interface Environment {
  /** The model serving now (a re-synthesis swaps it). */
  readonly model: LocalModel;
  readonly cloud: LocalCloud;
  readonly queues: QueueStore;
  /** Everything observed, with causal traces; kept in the state database. */
  readonly log: EventLog;
  readonly state: StateDatabase;
  /** The PutEvents/SQS endpoint, when listening; the console is served at its root. */
  readonly url?: string;
  /** PutEvents, exactly as the endpoint answers it (errors included). */
  readonly eventsApi: EventsApiOptions;
  /**
   * Serves a new model (a re-synthesis): running work finishes on the old one, what is pending
   * resumes on the new one, queues keep their messages. Throws, keeping the old model, if it
   * cannot start.
   */
  reloadModel(model: LocalModel): Promise<void>;
  /** Resolves once nothing is in flight or pending. */
  settled(): Promise<void>;
  /**
   * Stops accepting requests, lets running invocations finish for up to `graceMs` (default
   * 0), keeps the rest pending in the state database. Returns how many are pending.
   */
  stop(graceMs?: number): Promise<number>;
}

/** Reads the assembly and starts everything it describes. */
export async function startEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const model = readModel(options.assembly);
  const state = new StateDatabase(options.stateFile ?? ":memory:");
  const log = new SqliteEventLog(state);
  const stream = new ObservationStream(() => swap.settled());
  const observe = (observation: Observation) => {
    log.append(observation);
    options.observer?.(observation);
    stream.publish(observation);
  };
  const queues = new QueueStore({ state });
  queues.onMessage((notice) =>
    observe({
      kind: "queue",
      queue: notice.queueName,
      messageId: notice.messageId,
      body: notice.body,
      attributes: notice.attributes,
      ...messageAbout(notice.body),
    }),
  );
  const startCloud = (next: LocalModel) =>
    LocalCloud.start(next, {
      timeScale: options.timeScale,
      concurrency: options.concurrency,
      observer: observe,
      functionLogs: options.functionLogs,
      inspect: options.inspect,
      state,
      // A re-synthesized model finds its queues, and their messages, where they were.
      createQueue: (queue) =>
        queues.find(queue.arn) ??
        queues.create({
          name: queue.name,
          arn: queue.arn,
          url: queue.url,
          retentionSeconds: queue.retentionSeconds,
          visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
        }),
    });
  let swap: ModelSwap;
  try {
    swap = new ModelSwap(await startCloud(model), startCloud);
  } catch (error) {
    state.close();
    throw error;
  }
  const retention = new Retention(state, log, model, options.logRetention ?? DEFAULT_LOG_RETENTION);
  // The endpoint reaches whichever model is serving.
  const backend: EventsBackend = {
    get account() {
      return swap.current.account;
    },
    get region() {
      return swap.current.region;
    },
    findBus: (nameOrArn) => swap.current.findBus(nameOrArn),
  };
  // EventBridge answers an entry for a bus that does not exist with an EventId and drops the
  // event; the environment does the same, and says so.
  const eventsApi: EventsApiOptions = {
    backend,
    onDropped: ({ eventBusName, event }) =>
      observe({
        kind: "notice",
        message: `PutEvents: there is no bus ${eventBusName} (buses: ${swap.current.model.buses.map((bus) => bus.name).join(", ")}); AWS accepts event ${event.id} and drops it`,
      }),
  };
  const events = createEventsApi(eventsApi);
  // One transaction per request: its accepted events are on disk before the answer.
  const putEvents = {
    ...events,
    handle: (...[operation, input, context]: Parameters<typeof events.handle>) =>
      operation === "StartReplay"
        ? startReplay(input, swap.current, swap.current.model)
        : state.transaction(() => events.handle(operation, input, context)),
  };
  // `pnpm send`'s loopback routes: what runs here, and a stream of what happens.
  const devRoutes = localRoutes(stream, () => ({
    pid: process.pid,
    assembly: resolve(options.assembly),
    buses: swap.current.model.buses.map((bus) => bus.name),
    services: swap.current.model.functions.flatMap((fn) => (fn.service ? [fn.service.id] : [])),
  }));
  let server: RunningAwsJsonServer | undefined;
  let consoleApi: ConsoleApi | undefined;
  const console = consoleRoutes(() => consoleApi);
  try {
    if (options.listen) {
      server = await startAwsJsonServer({
        ...options.listen,
        services: [
          // One transaction per request: its accepted events are on disk before the answer.
          putEvents,
          createSqsApi({ store: queues }),
        ],
        routes: async (req, res) => {
          const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
          return (path !== "/" && devRoutes(req, res, path)) || console(req, res);
        },
      });
      const endpoint = server.url;
      consoleApi = new ConsoleApi({
        // The console follows a re-synthesis.
        get model() {
          return swap.current.model;
        },
        log,
        queues,
        events: putEvents,
        endpoint: () => endpoint,
      });
    }
  } catch (error) {
    retention.stop();
    await swap.stop();
    state.close();
    throw error;
  }
  let stopping: Promise<number> | undefined;
  return {
    get model() {
      return swap.current.model;
    },
    get cloud() {
      return swap.current;
    },
    queues,
    log,
    state,
    url: server?.url,
    eventsApi,
    reloadModel: (next) => swap.reload(next),
    settled: () => swap.settled(),
    stop: (graceMs = 0) => {
      stopping ??= (async () => {
        stream.close();
        await server?.close();
        retention.stop();
        const pending = await swap.stop(graceMs);
        queues.close();
        state.close();
        return pending;
      })();
      return stopping;
    },
  };
}
