import type { LocalModel, Place } from "@ebsvc/cloud-assembly";
import { readModel } from "@ebsvc/cloud-assembly";
import { ConsoleApi } from "./console/console-api.js";
import { consoleRoutes } from "./console/console-routes.js";
import { type EventLog, memoryEventLog } from "./console/event-log.js";
import { loggedFunctionOutput } from "./console/function-log-lines.js";
import { LocalCloud } from "./engine/local-cloud.js";
import type { Observer } from "./engine/observations.js";
import { type RunningAwsJsonServer, startAwsJsonServer } from "./protocols/aws-json-server.js";
import { createEventsApi, type EventsApiOptions } from "./protocols/events-api.js";
import { createSqsApi } from "./protocols/sqs-api.js";
import { QueueStore } from "./queues/queue-store.js";

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
}

/** The running local environment: the app's buses, functions and queues, and its endpoint. */
export interface Environment {
  readonly model: LocalModel;
  readonly cloud: LocalCloud;
  readonly queues: QueueStore;
  /** The PutEvents/SQS endpoint, when listening; the console is served at its root. */
  readonly url?: string;
  /** What happened, in order: the console reads it. */
  readonly log: EventLog;
  /** PutEvents, exactly as the endpoint answers it (errors included). */
  readonly eventsApi: EventsApiOptions;
  stop(): Promise<void>;
}

/** Reads the assembly and starts everything it describes. */
export async function startEnvironment(options: EnvironmentOptions): Promise<Environment> {
  const model = readModel(options.assembly, options.fallbackPlace);
  const log = memoryEventLog();
  const observer = options.observer ?? (() => {});
  const observe: Observer = (observation) => {
    log.append(observation);
    observer(observation);
  };
  const queues = new QueueStore();
  queues.onMessage((notice) =>
    observe({
      kind: "queue",
      queue: notice.queueName,
      body: notice.body,
      attributes: notice.attributes,
    }),
  );
  const cloud = await LocalCloud.start(model, {
    timeScale: options.timeScale,
    concurrency: options.concurrency,
    observer: observe,
    functionLogs: (serviceId) =>
      loggedFunctionOutput(serviceId, log, options.functionLogs?.(serviceId) ?? process.stderr),
    createQueue: (queue) =>
      queues.create({
        name: queue.name,
        arn: queue.arn,
        url: queue.url,
        retentionSeconds: queue.retentionSeconds,
        visibilityTimeoutSeconds: queue.visibilityTimeoutSeconds,
      }),
  });
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
  let server: RunningAwsJsonServer | undefined;
  let consoleApi: ConsoleApi | undefined;
  try {
    if (options.listen) {
      server = await startAwsJsonServer({
        ...options.listen,
        services: [createEventsApi(eventsApi), createSqsApi({ store: queues })],
        routes: consoleRoutes(() => consoleApi),
      });
      const endpoint = server.url;
      consoleApi = new ConsoleApi({ model, log, queues, eventsApi, endpoint: () => endpoint });
    }
  } catch (error) {
    await cloud.stop();
    throw error;
  }
  return {
    model,
    cloud,
    queues,
    url: server?.url,
    log,
    eventsApi,
    stop: async () => {
      await server?.close();
      await cloud.stop();
      queues.close();
    },
  };
}
