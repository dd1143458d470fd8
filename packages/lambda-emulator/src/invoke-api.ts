import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readBody, requestPath, send, sendError } from "./http-util.js";
import { Invocation } from "./invocation.js";
import type { ResolvedOptions } from "./options.js";
import { answerFor } from "./outcome-response.js";
import type { RuntimePool } from "./pool.js";

/** Lambda's Invoke path; like the RIE, any function name is accepted. */
const INVOKE_PATH = /^\/2015-03-31\/functions\/[^/]+\/invocations\/?$/;
export const INVOKE_PATH_EXAMPLE = "/2015-03-31/functions/function/invocations";

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
  if (!INVOKE_PATH.test(path)) {
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

  const clientContext = parseClientContext(req.headers["x-amz-client-context"]);
  if (clientContext instanceof Error) {
    return sendError(res, 400, "InvalidRequestContentException", clientContext.message);
  }

  const read = await readBody(req, options.maxPayloadBytes);
  if (!read.ok) {
    if (read.reason === "too-large") {
      // The rest of the body is never read: close the connection instead of draining it.
      sendError(
        res,
        413,
        "RequestEntityTooLargeException",
        `Request must be smaller than ${options.maxPayloadBytes} bytes for the InvokeFunction operation`,
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

  const invocation = new Invocation(payload, clientContext);
  pool.submit(invocation);
  // A caller that hung up still gets its invocation run, as in Lambda; send() then writes nothing.
  const answer = answerFor(await invocation.outcome, invocation.requestId);
  send(res, answer.statusCode, answer.headers, answer.body);
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
