import type { LocalModel } from "@ebsvc/cloud-assembly";
import type { LocalCloud } from "../engine/local-cloud.js";

/**
 * Which LocalCloud serves, across re-syntheses. `reload(model)` starts a LocalCloud for the new
 * model (sharing the queue store, so queues that still exist keep their messages) and makes it
 * the one new events reach; the old one finishes its in-flight work (invocations, retries,
 * destinations, all on the old model) and then stops its runtimes.
 */
export class ModelSwap {
  private readonly retiring = new Set<LocalCloud>();
  private swapping: Promise<void> = Promise.resolve();

  constructor(
    private serving: LocalCloud,
    private readonly start: (model: LocalModel) => Promise<LocalCloud>,
  ) {}

  get current(): LocalCloud {
    return this.serving;
  }

  /** Swaps in the new model; if it cannot start, throws and the old one keeps serving. */
  reload(model: LocalModel): Promise<void> {
    // One swap at a time: a second re-synthesis waits for the first to be in place.
    const next = this.swapping.then(async () => {
      const cloud = await this.start(model);
      const old = this.serving;
      this.serving = cloud;
      this.retiring.add(old);
      void old
        .settled()
        .then(() => old.stop())
        .finally(() => this.retiring.delete(old));
    });
    this.swapping = next.catch(() => {});
    return next;
  }

  /** Resolves once nothing is in flight, in the serving model or a retiring one. */
  async settled(): Promise<void> {
    await Promise.all([this.serving, ...this.retiring].map((cloud) => cloud.settled()));
  }

  async stop(): Promise<void> {
    await this.swapping;
    await Promise.all([...this.retiring, this.serving].map((cloud) => cloud.stop()));
  }
}
