import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { consoleDist } from "@ebsvc/console";
import { readRequestBody } from "../protocols/request-body.js";
import { type ConsoleApi, ConsoleInputError } from "./console-api.js";
import { isLoopbackHost, refusal } from "./request-guard.js";
import { readStaticFile } from "./static-files.js";

/** No remote origin: scripts, styles, fonts and connections come from the console itself. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** How many entries a page opened late gets from the log before live ones. */
const HISTORY = 10_000;
const TOKEN_META = "<!--console-token-->";

export type ConsoleRoutes = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * The console's GET routes (the page, its files, the API and the event stream) and its
 * state-changing POSTs under /_console/. Answers true when it handled the request; AWS JSON
 * requests (POST /) are left to the endpoint.
 */
export function consoleRoutes(api: () => ConsoleApi | undefined): ConsoleRoutes {
  const token = randomBytes(24).toString("base64url");
  return async (req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
    const isConsole =
      req.method === "GET" ||
      req.method === "HEAD" ||
      (req.method === "POST" && path.startsWith("/_console/"));
    if (!isConsole) return false;
    const ready = api();
    if (!isLoopbackHost(req.headers.host)) {
      json(res, 403, {
        error: `the console answers only to 127.0.0.1 or localhost, not ${req.headers.host}`,
      });
      return true;
    }
    if (!ready) {
      json(res, 503, { error: "the environment is starting" });
      return true;
    }
    const url = new URL(req.url ?? "/", "http://console");
    try {
      if (req.method === "POST") {
        const why = refusal(req, token);
        if (why) {
          json(res, 403, { error: `refused: ${why}` });
          return true;
        }
        const read = await readRequestBody(req, 1024 * 1024);
        if (!read.ok) return true;
        const input = parseBody(read.body);
        json(res, 200, await post(ready, path, input));
        return true;
      }
      if (path === "/_console/stream") {
        stream(ready, req, res, url);
        return true;
      }
      if (path.startsWith("/_console/")) {
        json(res, 200, await get(ready, path, url));
        return true;
      }
      await page(res, path, token);
    } catch (error) {
      if (error instanceof ConsoleInputError) json(res, 400, { error: error.message });
      else json(res, 500, { error: String(error) });
    }
    return true;
  };
}

async function get(api: ConsoleApi, path: string, url: URL): Promise<unknown> {
  const id = url.searchParams.get("eventId") ?? "";
  switch (path) {
    case "/_console/graph":
      return api.graph();
    case "/_console/trace":
      return { eventId: id, entries: api.trace(id) };
    case "/_console/why":
      return api.why(id);
    case "/_console/dead-letters":
      return api.deadLetters();
    case "/_console/queue-depths":
      return api.queueDepths();
    default:
      throw new ConsoleInputError(`nothing at ${path}`);
  }
}

async function post(api: ConsoleApi, path: string, input: Record<string, unknown>) {
  switch (path) {
    case "/_console/send":
      return api.send(input);
    case "/_console/sandbox":
      return api.sandbox(input);
    case "/_console/redrive":
      return api.redrive(input);
    case "/_console/purge":
      return api.purge(input);
    default:
      throw new ConsoleInputError(`nothing at POST ${path}`);
  }
}

/** Server-Sent Events: recent history first (or what follows Last-Event-ID), then live entries. */
function stream(api: ConsoleApi, req: IncomingMessage, res: ServerResponse, url: URL): void {
  res.writeHead(200, {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-store",
    Connection: "keep-alive",
  });
  const resumeAt = Number(req.headers["last-event-id"]);
  const limit = Math.min(Number(url.searchParams.get("latest")) || HISTORY, HISTORY);
  const history =
    Number.isInteger(resumeAt) && resumeAt > 0 ? api.after(resumeAt, HISTORY) : api.latest(limit);
  // Clients reconnect 1 s after the server goes away.
  res.write("retry: 1000\n\n");
  let last = 0;
  for (const entry of history) {
    res.write(`id: ${entry.seq}\ndata: ${JSON.stringify(entry)}\n\n`);
    last = entry.seq;
  }
  res.write(`event: ready\ndata: ${last}\n\n`);
  const unsubscribe = api.subscribe((entry) => {
    if (entry.seq <= last) return;
    res.write(`id: ${entry.seq}\ndata: ${JSON.stringify(entry)}\n\n`);
  });
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  res.once("close", () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

async function page(res: ServerResponse, path: string, token: string): Promise<void> {
  const file = await readStaticFile(consoleDist, path === "/" ? "index.html" : path);
  // The single page answers every other GET, so its views can be linked to.
  const served = file ?? (await readStaticFile(consoleDist, "index.html"));
  if (!served) {
    res.writeHead(500, { "Content-Type": "text/plain" });
    res.end(
      `the console is not built (no ${consoleDist}index.html): pnpm turbo run build --filter=@ebsvc/console`,
    );
    return;
  }
  const isPage = served.type.startsWith("text/html");
  const body = isPage
    ? Buffer.from(
        served.body
          .toString("utf8")
          .replace(TOKEN_META, `<meta name="console-token" content="${token}">`),
      )
    : served.body;
  res.writeHead(200, {
    "Content-Type": served.type,
    "Content-Length": body.length,
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": isPage ? "no-store" : "public, max-age=31536000, immutable",
  });
  res.end(body);
}

function parseBody(body: Buffer): Record<string, unknown> {
  try {
    const value = JSON.parse(body.toString("utf8") || "{}");
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  } catch {
    // answered below
  }
  throw new ConsoleInputError("the request body must be a JSON object");
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
  });
  res.end(text);
}
