import { type RebuildResult, ServiceBundler } from "./service-bundle.js";

/** Editors save in bursts (write, rename, chmod): changes this close together are one save. */
const SAVE_DEBOUNCE_MS = 15;

/**
 * Re-bundles one service on demand: `changed()` after a save (debounced), one rebuild at a
 * time, and one more if a save arrived during a rebuild. `onResult` hears each outcome, after
 * the bundle is written (or, on failure, left as it was).
 */
export class LiveBundle {
  private bundler: Promise<ServiceBundler> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private disposed = false;

  constructor(
    readonly serviceDir: string,
    private readonly onResult: (result: RebuildResult) => void | Promise<void>,
    private readonly debounceMs = SAVE_DEBOUNCE_MS,
  ) {}

  /**
   * Creates the esbuild context and builds once, so the first save is bundled incrementally.
   * The bundle it writes is the one already there (same sources, same options).
   */
  prime(): Promise<void> {
    if (!this.running) {
      this.running = this.context()
        .then((bundler) => bundler.rebuild())
        .then(() => {})
        .finally(() => this.afterRun());
    }
    return this.running;
  }

  /** A source file changed: re-bundle shortly. */
  changed(): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.start(), this.debounceMs);
  }

  /** Resolves once no rebuild is pending or running. */
  async idle(): Promise<void> {
    while (this.running || this.timer) {
      await (this.running ?? new Promise((resolve) => setTimeout(resolve, this.debounceMs)));
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await (await this.bundler)?.dispose();
  }

  private start(): void {
    this.timer = undefined;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.rebuild().finally(() => this.afterRun());
  }

  private afterRun(): void {
    this.running = undefined;
    if (this.again && !this.disposed) {
      this.again = false;
      this.start();
    }
  }

  private async rebuild(): Promise<void> {
    const result = await (await this.context()).rebuild();
    if (!this.disposed) await this.onResult(result);
  }

  private context(): Promise<ServiceBundler> {
    this.bundler ??= ServiceBundler.create(this.serviceDir);
    return this.bundler;
  }
}
