import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { bundleService } from "@ebsvc/service-image";
import { copyServiceFolder } from "@ebsvc/test-fixtures/temp-repos";

/** A temporary services/ folder, for tests that edit services without touching the checkout. */
export class ServicesCopy {
  readonly root = mkdtempSync(join(tmpdir(), "live-services-"));
  readonly servicesRoot = join(this.root, "services");

  constructor() {
    mkdirSync(this.servicesRoot);
  }

  /**
   * Copies services/<from> of the checkout (sources, manifest, Dockerfile) as `to`, its
   * node_modules linked to the real one's, bundles it, and moves it into services/ at once.
   * `handler` rewrites its src/index.ts first (then it is not bundled: it may not build).
   */
  async add(from: string, to = from, handler?: (source: string) => string): Promise<string> {
    const staged = copyServiceFolder(from, join(this.root, `staged-${to}`));
    const target = join(this.servicesRoot, to);
    const manifest = join(staged, "package.json");
    writeFileSync(
      manifest,
      JSON.stringify({ ...JSON.parse(readFileSync(manifest, "utf8")), name: to }, null, 2),
    );
    if (handler) {
      const file = join(staged, "src", "index.ts");
      writeFileSync(file, handler(readFileSync(file, "utf8")));
    } else {
      await bundleService(staged);
    }
    renameSync(staged, target);
    return target;
  }

  /** Replaces `from` by `to` in a service's src/index.ts, as an editor's save would. */
  edit(id: string, from: string, to: string): void {
    const file = join(this.servicesRoot, id, "src", "index.ts");
    const text = readFileSync(file, "utf8");
    if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
    writeFileSync(file, text.replace(from, to));
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });

/** Polls until `check` passes; bounded, so a slow machine only makes it slower. */
export async function eventually<T>(
  read: () => T | Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}
