import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsError, internalError, serializationError, unknownOperation } from "./aws-error.js";
import type { AwsJsonService, QueryProtocol } from "./aws-service.js";
import { requestContext, sendResponse } from "./http-response.js";
import { isJsonObject, type JsonObject } from "./json-input.js";
import { MAX_REQUEST_DEPTH, MAX_REQUEST_VALUES, measureJson } from "./json-scan.js";
import { answerQueryRequest, isQueryRequest } from "./query-protocol.js";
import { readRequestBody } from "./request-body.js";

export interface AwsJsonServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  services: readonly AwsJsonService[];
  /** Other HTTP routes on the same port (the console); answers true when it handled the request. */
  routes?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

export interface RunningAwsJsonServer {
  /** E.g. http://127.0.0.1:4010: the `endpoint` for SDK clients. */
  url: string;
  port: number;
  /** Ends long polls, closes every connection; resolves when the server is closed. */
  close(): Promise<void>;
}

/**
 * Service payload limits (256 KB of event entries, of message) are checked after parsing, with
 * AWS's own errors; JSON escaping can make a request several times its payload, so this cap
 * only stops runaway bodies.
 */
const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const JSON_CONTENT_TYPE = /^application\/x-amz-json-1\.[01]\s*(;|$)/i;

/**
 * Starts an HTTP endpoint speaking the AWS JSON protocol for the given services, and the
 * Query protocol for the one that has `query`.
 */
export async function startAwsJsonServer(
  options: AwsJsonServerOptions,
): Promise<RunningAwsJsonServer> {
  const host = options.host ?? "127.0.0.1";
  const services = new Map<string, AwsJsonService>();
  for (const service of options.services) {
    if (services.has(service.targetPrefix)) {
      throw new Error(`two services claim the X-Amz-Target prefix ${service.targetPrefix}`);
    }
    services.set(service.targetPrefix, service);
  }
  const [queryService, ...otherQueryServices] = options.services.filter(speaksQuery);
  if (queryService && otherQueryServices.length > 0) {
    throw new Error(
      `${queryService.targetPrefix} and ${otherQueryServices[0]?.targetPrefix} both claim the Query protocol: one endpoint tells them apart by X-Amz-Target only`,
    );
  }
  const closing = new AbortController();

  const server = createServer((req, res) => {
    const requestId = randomUUID();
    (options.routes?.(req, res) ?? Promise.resolve(false))
      .then((handled) => {
        if (handled) return;
        return queryService && isQueryRequest(req)
          ? answerQueryRequest(
              req,
              res,
              requestId,
              queryService,
              maxRequestBytes(queryService),
              closing.signal,
            )
          : handle(req, res, requestId, services, closing.signal);
      })
      .catch((error: unknown) => {
        answerError(res, requestId, internalError(error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          `local-cloud: cannot listen on ${host}:${options.port ?? 0}: ${error.code ?? error.message}`,
          {
            cause: error,
          },
        ),
      );
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close: () => {
      closed ??= (async () => {
        const done = new Promise((resolve) => server.close(resolve));
        closing.abort();
        // Let the answers of long polls just ended go out before closing connections.
        await new Promise((resolve) => setImmediate(resolve));
        server.closeAllConnections();
        await done;
      })();
      return closed;
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  services: Map<string, AwsJsonService>,
  closing: AbortSignal,
): Promise<void> {
  const path = (req.url ?? "/").split("?", 1)[0];
  if (path !== "/") {
    return answerError(
      res,
      requestId,
      new AwsError(
        "UnknownOperationException",
        `Nothing at ${req.method} ${path}: AWS JSON requests are POSTed to / with an X-Amz-Target header`,
        404,
      ),
    );
  }
  if (req.method !== "POST") {
    return answerError(
      res,
      requestId,
      new AwsError(
        "MethodNotAllowedException",
        `${req.method} is not supported: AWS JSON requests are POSTed to / with an X-Amz-Target header`,
        405,
      ),
      { Allow: "POST" },
    );
  }

  const target = req.headers["x-amz-target"];
  const dot = typeof target === "string" ? target.lastIndexOf(".") : -1;
  const service = typeof target === "string" ? services.get(target.slice(0, dot)) : undefined;
  if (typeof target !== "string" || dot <= 0 || !service) {
    const served = [...services.keys()].map((prefix) => `${prefix}.<Operation>`).join(" or ");
    return answerError(
      res,
      requestId,
      unknownOperation(
        typeof target === "string" ? target : "(no X-Amz-Target header)",
        `expected X-Amz-Target ${served}`,
      ),
    );
  }

  const contentType = req.headers["content-type"] ?? "";
  if (!JSON_CONTENT_TYPE.test(contentType)) {
    return answerError(
      res,
      requestId,
      serializationError(
        `Content-Type must be application/x-amz-json-1.0 or application/x-amz-json-1.1, not ${contentType || "(none)"}`,
      ),
    );
  }

  const limit = maxRequestBytes(service);
  const read = await readRequestBody(req, limit);
  if (!read.ok) {
    if (read.reason === "too-large") {
      // The rest of the body is never read: close the connection instead of draining it.
      const tooLarge =
        service.requestTooLarge ??
        new AwsError(
          "RequestEntityTooLargeException",
          `The request body is over ${limit} bytes, the most this endpoint reads for ${service.targetPrefix}`,
          413,
        );
      answerError(res, requestId, tooLarge, { Connection: "close" }, service.jsonVersion);
    }
    return;
  }

  const input = parseInput(read.body);
  if (input instanceof AwsError) return answerError(res, requestId, input);

  const context = requestContext(req, res, requestId, closing);
  try {
    const output = await service.handle(target.slice(dot + 1), input, context);
    sendResponse(
      res,
      requestId,
      200,
      `application/x-amz-json-${service.jsonVersion}`,
      JSON.stringify(output ?? {}),
    );
  } catch (error) {
    const answer = error instanceof AwsError ? error : internalError(error);
    answerError(res, requestId, answer, {}, service.jsonVersion);
  }
}

function parseInput(body: Buffer): JsonObject | AwsError {
  // SDKs send {} for operations without input; an empty body means the same.
  if (body.length === 0) return {};
  const extent = measureJson(body, MAX_REQUEST_VALUES, MAX_REQUEST_DEPTH);
  if (extent.values > MAX_REQUEST_VALUES) {
    return serializationError(
      `The request body holds more than ${MAX_REQUEST_VALUES} JSON values, more than any request of this endpoint needs`,
    );
  }
  if (extent.depth > MAX_REQUEST_DEPTH) {
    return serializationError(
      `The request body nests more than ${MAX_REQUEST_DEPTH} levels deep, deeper than any request of this endpoint`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return serializationError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (!isJsonObject(value)) {
    return serializationError(
      `The request body must be a JSON object, not ${Array.isArray(value) ? "an array" : typeof value}`,
    );
  }
  return value;
}

function speaksQuery(
  service: AwsJsonService,
): service is AwsJsonService & { query: QueryProtocol } {
  return service.query !== undefined;
}

function maxRequestBytes(service: AwsJsonService): number {
  return service.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
}

function answerError(
  res: ServerResponse,
  requestId: string,
  error: AwsError,
  headers: Record<string, string> = {},
  jsonVersion: "1.0" | "1.1" = "1.1",
): void {
  if (error.queryErrorCode) {
    const fault = error.statusCode >= 500 ? "Receiver" : "Sender";
    headers["x-amzn-query-error"] = `${error.queryErrorCode};${fault}`;
  }
  sendResponse(
    res,
    requestId,
    error.statusCode,
    `application/x-amz-json-${jsonVersion}`,
    JSON.stringify({ __type: error.type, message: error.message }),
    headers,
  );
}
