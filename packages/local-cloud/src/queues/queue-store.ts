import { StateDatabase } from "../state/state-database.js";
import { type Clock, systemClock } from "./clock.js";
import { LocalQueue, type LocalQueueOptions, type QueueMessageListener } from "./local-queue.js";
import { parseQueueArn, parseQueueUrl } from "./queue-address.js";

export interface QueueStoreOptions {
  /** The clock every queue of the store uses (tests pass a fake one). */
  clock?: Clock;
  /** Where every queue of the store keeps its messages. @default an in-memory database */
  state?: StateDatabase;
}

/** The local queues, found by name, ARN or URL as SQS callers address them. */
export class QueueStore {
  private readonly queues = new Map<string, LocalQueue>();
  private readonly listeners = new Set<QueueMessageListener>();
  private readonly clock: Clock;
  private readonly state: StateDatabase;

  constructor(options: QueueStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.state = options.state ?? new StateDatabase(":memory:");
  }

  /** Creates a queue; names are unique within a store. */
  create(options: Omit<LocalQueueOptions, "clock" | "state">): LocalQueue {
    if (this.queues.has(options.name)) {
      throw new Error(`queue ${options.name} exists already`);
    }
    const queue = new LocalQueue({ ...options, clock: this.clock, state: this.state });
    queue.onMessage((notice) => {
      for (const listener of this.listeners) listener(notice);
    });
    this.queues.set(queue.name, queue);
    return queue;
  }

  /**
   * The queue a caller means: its name, its ARN, or a URL whose path ends in /<account>/<name>
   * (whatever the host: a local URL or the AWS one the app was deployed with).
   */
  find(nameArnOrUrl: string): LocalQueue | undefined {
    const byName = this.queues.get(nameArnOrUrl);
    if (byName) return byName;
    const arn = parseQueueArn(nameArnOrUrl);
    if (arn) {
      const queue = this.queues.get(arn.name);
      return queue?.arn === nameArnOrUrl ? queue : undefined;
    }
    const url = parseQueueUrl(nameArnOrUrl);
    if (url) {
      const queue = this.queues.get(url.name);
      return queue?.account === url.account ? queue : undefined;
    }
    return undefined;
  }

  /** Every queue, by name, optionally only those whose name starts with `prefix`. */
  list(prefix = ""): LocalQueue[] {
    return [...this.queues.values()]
      .filter((queue) => queue.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Calls `listener` synchronously for every message sent to any queue of the store. */
  onMessage(listener: QueueMessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends every long poll, so nothing waits on the store any more. */
  close(): void {
    for (const queue of this.queues.values()) queue.close();
  }
}
