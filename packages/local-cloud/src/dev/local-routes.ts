import type { IncomingMessage, ServerResponse } from "node:http";
import type { ObservationStream } from "./observation-stream.js";

/** What `GET /_local/info` says about the running environment. */
export interface EnvironmentInfo {
  readonly pid: number;
  /** The cloud assembly it runs (absolute), so a client knows it is the app it means. */
  readonly assembly: string;
  readonly buses: readonly string[];
  readonly services: readonly string[];
}

/**
 * The environment's own loopback routes, beside the AWS JSON endpoint: `GET /_local/info` and
 * `GET /_local/stream` (Server-Sent Events of what happens). Answers false for other paths.
 */
export function localRoutes(
  stream: ObservationStream,
  info: () => EnvironmentInfo,
): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  return (req, res, path) => {
    if (req.method !== "GET") return false;
    if (path === "/_local/info") {
      const body = JSON.stringify(info());
      res.writeHead(200, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
      });
      res.end(body);
      return true;
    }
    if (path === "/_local/stream") {
      stream.attach(res);
      return true;
    }
    return false;
  };
}
