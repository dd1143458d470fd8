// The benchmark's handler, bundled with esbuild before use like a service's handler. It does a
// little real work at load time (as SDK clients and config parsing do) and echoes its event.
import { createHash } from "node:crypto";

const loadedAt = new Date().toISOString();
const buildId = createHash("sha256").update(loadedAt).digest("hex").slice(0, 12);

export const handler = async (event) => ({ ok: true, buildId, echo: event });
