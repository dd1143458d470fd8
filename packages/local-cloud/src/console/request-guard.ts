import type { IncomingMessage } from "node:http";

/** The header the page sends its per-run token in (the token is in index.html's meta tag). */
const TOKEN_HEADER = "x-console-token";

/**
 * Why a state-changing request is refused, or undefined to allow it: it must come from the
 * console's own page (same origin, by Origin and Sec-Fetch-Site) and carry this run's token,
 * so another web page open in the browser cannot redrive, purge or send.
 */
export function refusal(req: IncomingMessage, token: string): string | undefined {
  const host = req.headers.host;
  const origin = req.headers.origin;
  if (origin === undefined || origin !== `http://${host}`) {
    return `the request's Origin (${origin ?? "none"}) is not this console's (http://${host})`;
  }
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") {
    return `Sec-Fetch-Site is ${site}, not same-origin`;
  }
  if (req.headers[TOKEN_HEADER] !== token) {
    return `the ${TOKEN_HEADER} header is missing or not this run's token`;
  }
  return undefined;
}

/**
 * Only loopback names may address the console: a DNS name that a remote page made resolve to
 * 127.0.0.1 (DNS rebinding) arrives with that name as Host, and is refused.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, "");
  return name === "127.0.0.1" || name === "localhost" || name === "[::1]";
}
