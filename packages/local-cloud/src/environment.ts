import type { LocalModel, Place } from "@ebsvc/cloud-assembly";
import { readModel } from "@ebsvc/cloud-assembly";
import { ConsoleApi } from "./console/console-api.js";
import { consoleRoutes } from "./console/console-routes.js";
import { LocalCloud } from "./engine/local-cloud.js";
import { messageAbout } from "./engine/message-about.js";
import type { Observation, Observer } from "./engine/observations.js";
import { type RunningAwsJsonServer, startAwsJsonServer } from "./protocols/aws-json-server.js";
import { createEventsApi, type EventsApiOptions } from "./protocols/events-api.js";
import { createSqsApi } from "./protocols/sqs-api.js";
import { QueueStore } from "./queues/queue-store.js";
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
  /** Account and region for an environment-agnostic assembly. */
  readonly fallbackPlace?: Place;
  /**
   * The state database file (queues, pending work, archives, event log); `:memory:` keeps
   * it in memory. @default ":memory:"
   */
  readonly stateFile?: string;
  /** How long the event log keeps entries. */
  readonly logRetention?: LogRetention;
}

/** The running local environment: the app's buses, functions and queues, and its endpoint. */
export interface Environment {
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
   * Stops accepting requests, lets running invocations finish for up to `graceMs` (default
   * 0), keeps the rest pending in the state database. Returns how many are pending.
   */
  stop(graceMs?: number): Promise<number>;
}

/** Reads the assembly and starts everything it describes. */
export async function startEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const model = readModel(options.assembly, options.fallbackPlace);
  const state = new StateDatabase(options.stateFile ?? ":memory:");
  const log = new SqliteEventLog(state);
  const observe = (observation: Observation) => {
    log.append(observation);
    options.observer?.(observation);
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
  let cloud: LocalCloud;
  try {
    cloud = await LocalCloud.start(model, {
      timeScale: options.timeScale,
      concurrency: options.concurrency,
      observer: observe,
      functionLogs: options.functionLogs,
      state,
      createQueue: (queue) =>
        queues.create({
          name: queue.name,
          arn: queue.arn,
          url: queue.url,
          retentionSeconds: queue.retentionSeconds,
          visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
        }),
    });
  } catch (error) {
    state.close();
    throw error;
  }
  const retention = new Retention(state, log, model, options.logRetention ?? DEFAULT_LOG_RETENTION);
  // EventBridge answers an entry for a bus that does not exist with an EventId and drops the
  // event; the environment does the same, and says so.
  const eventsApi: EventsApiOptions = {
    backend: cloud,
    unknownBus: "drop",
    onDropped: ({ eventBusName, event }) =>
      observe({
        kind: "notice",
        message: `PutEvents: there is no bus ${eventBusName} (buses: ${model.buses.map((bus) => bus.name).join(", ")}); AWS accepts event ${event.id} and drops it`,
      }),
  };
  const events = createEventsApi(eventsApi);
  // One transaction per request: its accepted events are on disk before the answer.
  const putEvents = {
    ...events,
    handle: (...args: Parameters<typeof events.handle>) =>
      state.transaction(() => events.handle(...args)),
  };
  let server: RunningAwsJsonServer | undefined;
  let consoleApi: ConsoleApi | undefined;
  try {
    if (options.listen) {
      server = await startAwsJsonServer({
        ...options.listen,
        services: [putEvents, createSqsApi({ store: queues })],
        routes: consoleRoutes(() => consoleApi),
      });
      const endpoint = server.url;
      consoleApi = new ConsoleApi({
        model,
        log,
        queues,
        events: putEvents,
        endpoint: () => endpoint,
      });
    }
  } catch (error) {
    retention.stop();
    await cloud.stop();
    state.close();
    throw error;
  }
  let stopping: Promise<number> | undefined;
  return {
    model,
    cloud,
    queues,
    log,
    state,
    url: server?.url,
    eventsApi,
    stop: (graceMs = 0) => {
      stopping ??= (async () => {
        await server?.close();
        retention.stop();
        const pending = await cloud.stop(graceMs);
        queues.close();
        state.close();
        return pending;
      })();
      return stopping;
    },
  };
}
