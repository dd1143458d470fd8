import type { LocalModel } from "@ebsvc/cloud-assembly";
import type { LocalCloud } from "../engine/local-cloud.js";

/** How long running work may take to finish on the old model before the new one takes over. */
const RETIRE_GRACE_MS = 60_000;

/**
 * Which LocalCloud serves, across re-syntheses. Pending work lives in the shared state
 * database, and only one LocalCloud at a time may run it, so `reload(model)` stops the serving
 * one (what runs finishes on the old model, what waits stays pending) and starts one for the
 * new model, which resumes the pending work; queues that still exist keep their messages.
 */
export class ModelSwap {
  private swapping: Promise<void> = Promise.resolve();

  constructor(
    private serving: LocalCloud,
    private readonly start: (model: LocalModel) => Promise<LocalCloud>,
  ) {}

  get current(): LocalCloud {
    return this.serving;
  }

  /** Swaps in the new model; if it cannot start, throws and the old model serves again. */
  reload(model: LocalModel): Promise<void> {
    // One swap at a time: a second re-synthesis waits for the first to be in place.
    const next = this.swapping.then(async () => {
      const old = this.serving;
      // Events put meanwhile are accepted by the old model and wait, pending, for the new one.
      await old.stop(RETIRE_GRACE_MS);
      try {
        this.serving = await this.start(model);
      } catch (error) {
        this.serving = await this.start(old.model);
        throw error;
      } finally {
        // What the old model accepted while the new one started is pending for it too.
        this.serving.resume();
      }
    });
    this.swapping = next.catch(() => {});
    return next;
  }

  /** Resolves once nothing is in flight or pending. */
  async settled(): Promise<void> {
    await this.swapping;
    await this.serving.settled();
  }

  async stop(graceMs = 0): Promise<number> {
    await this.swapping;
    return this.serving.stop(graceMs);
  }
}
