import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody, requestPath, send, sendError } from "./http-util.js";

/** What the runtime receives from `GET invocation/next`. */
export interface NextEvent {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  functionArn: string;
  traceId: string;
  clientContext: string | undefined;
}

/** Something the runtime posted back. */
export type RuntimePost =
  | { kind: "response"; requestId: string; body: Buffer; contentType: string | undefined }
  | { kind: "error"; requestId: string; body: Buffer }
  | { kind: "init-error"; body: Buffer };

/** Why a post was refused, sent back to the runtime as a Runtime API error. */
export interface Refusal {
  statusCode: 400 | 403 | 404;
  errorType: string;
  errorMessage: string;
}

/** The runtime process's side of the Runtime API: what to do with each call. */
export interface RuntimeApiHandler {
  /** The runtime waits for an event; keep `poll` until there is one. */
  next(poll: NextPoll): void;
  /** Accept (undefined) or refuse a post. */
  post(post: RuntimePost): Refusal | undefined;
  /** The runtime tried to post more than the payload limit for this request (if any). */
  oversizedPost(requestId: string | undefined): void;
}

/** A pending long-poll on `invocation/next`. */
export class NextPoll {
  constructor(private readonly res: ServerResponse) {}

  /** False once the runtime hung up or the event was delivered. */
  get open(): boolean {
    return !this.res.headersSent && !this.res.destroyed;
  }

  onClose(listener: () => void): void {
    this.res.once("close", listener);
  }

  deliver(event: NextEvent): void {
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "Lambda-Runtime-Aws-Request-Id": event.requestId,
      "Lambda-Runtime-Deadline-Ms": String(event.deadlineMs),
      "Lambda-Runtime-Invoked-Function-Arn": event.functionArn,
      "Lambda-Runtime-Trace-Id": event.traceId,
    };
    if (event.clientContext !== undefined) {
      headers["Lambda-Runtime-Client-Context"] = event.clientContext;
    }
    send(this.res, 200, headers, event.payload);
  }
}

const PREFIX = "/2018-06-01/runtime/";
const INVOCATION_POST = /^invocation\/([^/]+)\/(response|error)$/;

/**
 * The Runtime API for one runtime process, on its own loopback port: one server per process
 * keeps "which process is asking" implicit, as it is in Lambda.
 */
export class RuntimeApi {
  private constructor(
    private readonly server: Server,
    /** `host:port`, the runtime's `AWS_LAMBDA_RUNTIME_API`. */
    readonly address: string,
  ) {}

  static async listen(handler: RuntimeApiHandler, maxPayloadBytes: number): Promise<RuntimeApi> {
    // aws-lambda-ric sends an error's message and stack in a header too
    // (Lambda-Runtime-Function-XRay-Error-Cause): Node's 16 KB header limit would refuse the
    // error post of a long message, and the invocation would hang until its timeout.
    const server = createServer({ maxHeaderSize: maxPayloadBytes }, (req, res) => {
      route(req, res, handler, maxPayloadBytes).catch((error: unknown) => {
        sendError(res, 500, "Runtime.EmulatorError", String(error));
      });
    });
    // The runtime keeps one connection for its whole life and long-polls on it: no timeouts.
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    return new RuntimeApi(server, `127.0.0.1:${port}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  handler: RuntimeApiHandler,
  maxPayloadBytes: number,
): Promise<void> {
  const path = requestPath(req);
  const call = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : undefined;

  if (call === "invocation/next") {
    if (req.method !== "GET") return methodNotAllowed(res, "GET");
    return handler.next(new NextPoll(res));
  }

  const match = call === undefined ? null : INVOCATION_POST.exec(call);
  if (call !== "init/error" && !match) {
    return sendError(res, 404, "NotFound", `No Runtime API call at ${req.method} ${path}`);
  }
  if (req.method !== "POST") return methodNotAllowed(res, "POST");

  const requestId = match ? decodeId(match[1] ?? "") : undefined;
  const read = await readBody(req, maxPayloadBytes);
  if (!read.ok) {
    if (read.reason === "too-large") {
      handler.oversizedPost(requestId);
      sendError(
        res,
        413,
        "RequestEntityTooLarge",
        `Exceeded maximum allowed payload size (${maxPayloadBytes} bytes).`,
        { Connection: "close" },
      );
    }
    return;
  }

  let post: RuntimePost;
  if (requestId === undefined) {
    post = { kind: "init-error", body: read.body };
  } else if (match?.[2] === "response") {
    post = {
      kind: "response",
      requestId,
      body: read.body,
      contentType: req.headers["content-type"],
    };
  } else {
    post = { kind: "error", requestId, body: read.body };
  }
  const refusal = handler.post(post);
  if (refusal) return sendError(res, refusal.statusCode, refusal.errorType, refusal.errorMessage);
  send(res, 202, { "Content-Type": "application/json" }, '{"status":"OK"}');
}

function methodNotAllowed(res: ServerResponse, allowed: string): void {
  sendError(res, 405, "MethodNotAllowed", `Use ${allowed} for this Runtime API call`, {
    Allow: allowed,
  });
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
