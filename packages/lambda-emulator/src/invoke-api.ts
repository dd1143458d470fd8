import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readBody, requestPath, send, sendError } from "./http-util.js";
import { functionArn } from "./ids.js";
import { Invocation } from "./invocation.js";
import { namesServedFunction, readInvokeHeaders } from "./invoke-request.js";
import { LogTail } from "./log-tail.js";
import type { ResolvedOptions } from "./options.js";
import { answerFor } from "./outcome-response.js";
import type { RuntimePool } from "./pool.js";

/** Lambda's Invoke path; the function is the served one, or `function` as with the RIE. */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
export const INVOKE_PATH_EXAMPLE = "/2015-03-31/functions/function/invocations";
/** Lambda's limit on an asynchronous invocation's payload. */
const ASYNC_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Starts the invoke API (what callers and AWS SDKs talk to) in front of a runtime pool. */
export async function listenInvokeApi(
  pool: RuntimePool,
  options: ResolvedOptions,
): Promise<Server> {
  const server = createServer((req, res) => {
    handle(req, res, pool, options).catch((error: unknown) => {
      sendError(res, 500, "ServiceException", `The emulator failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          `lambda-emulator: cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`,
          { cause: error },
        ),
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  pool: RuntimePool,
  options: ResolvedOptions,
): Promise<void> {
  const path = requestPath(req);
  const match = INVOKE_PATH.exec(path);
  if (!match) {
    return sendError(
      res,
      404,
      "ResourceNotFoundException",
      `No such resource: ${req.method} ${path}; invoke with POST ${INVOKE_PATH_EXAMPLE}`,
    );
  }
  if (req.method !== "POST") {
    return sendError(res, 405, "MethodNotAllowed", `Use POST to invoke, not ${req.method}`, {
      Allow: "POST",
    });
  }

  const arn = functionArn(options.region, options.functionName);
  const name = decodeName(match[1] ?? "");
  if (!namesServedFunction(name, options.functionName, arn)) {
    // Lambda's own error body for an unknown function (not the runtime's errorType shape).
    const notFound = name.startsWith("arn:") ? name : arn.replace(/[^:]+$/, name);
    return send(
      res,
      404,
      { "Content-Type": "application/json", "X-Amzn-ErrorType": "ResourceNotFoundException" },
      JSON.stringify({ Type: "User", Message: `Function not found: ${notFound}` }),
    );
  }
  const headers = readInvokeHeaders(req);
  if (!headers.ok) {
    return send(
      res,
      400,
      { "Content-Type": "application/json", "X-Amzn-ErrorType": "ValidationException" },
      JSON.stringify({ message: headers.message }),
    );
  }

  const clientContext = parseClientContext(req.headers["x-amz-client-context"]);
  if (clientContext instanceof Error) {
    return sendError(res, 400, "InvalidRequestContentException", clientContext.message);
  }

  // Lambda takes up to 6 MB synchronously, 1 MB for an asynchronous (Event) invocation.
  const limit =
    headers.invocationType === "Event"
      ? Math.min(ASYNC_MAX_PAYLOAD_BYTES, options.maxPayloadBytes)
      : options.maxPayloadBytes;
  const read = await readBody(req, limit);
  if (!read.ok) {
    if (read.reason === "too-large") {
      // The rest of the body is never read: close the connection instead of draining it.
      sendError(
        res,
        413,
        "RequestEntityTooLargeException",
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        { Connection: "close" },
      );
    }
    return;
  }

  // Lambda treats an empty payload as an empty object.
  const payload = read.body.length === 0 ? Buffer.from("{}") : read.body;
  try {
    JSON.parse(payload.toString("utf8"));
  } catch (error) {
    return sendError(
      res,
      400,
      "InvalidRequestContentException",
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }

  if (headers.invocationType === "DryRun") return send(res, 204, {}, "");

  const synchronous = headers.invocationType === "RequestResponse";
  const invocation = new Invocation(payload, {
    clientContext,
    traceId: headers.traceId,
    // Lambda returns a log tail for synchronous invocations only.
    logTail: headers.tail && synchronous ? new LogTail() : undefined,
  });
  pool.submit(invocation);
  if (!synchronous) {
    // Accepted: it runs once, in turn; how it ends shows in the output (START ... REPORT).
    return send(res, 202, { "X-Amzn-RequestId": invocation.requestId }, "");
  }
  // A caller that hung up still gets its invocation run, as in Lambda; send() then writes nothing.
  const answer = answerFor(await invocation.outcome, invocation.requestId);
  const logResult = invocation.context.logTail?.base64();
  send(
    res,
    answer.statusCode,
    logResult === undefined ? answer.headers : { ...answer.headers, "X-Amz-Log-Result": logResult },
    answer.body,
  );
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * `X-Amz-Client-Context` is base64 JSON (as AWS SDKs send it). The runtime gets it as compact
 * JSON with non-ASCII escaped, so it is always a valid header value; invalid JSON would crash
 * aws-lambda-ric, so it is refused here.
 */
function parseClientContext(header: string | string[] | undefined): string | undefined | Error {
  if (header === undefined) return undefined;
  const invalid = new Error("Client context must be a valid Base64-encoded JSON object.");
  if (Array.isArray(header)) return invalid;
  try {
    const value: unknown = JSON.parse(Buffer.from(header, "base64").toString("utf8"));
    if (typeof value !== "object" || value === null || Array.isArray(value)) return invalid;
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  } catch {
    return invalid;
  }
}
