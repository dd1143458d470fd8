import type { IncomingMessage, ServerResponse } from "node:http";
import { AwsError, internalError } from "./aws-error.js";
import type { AwsJsonService, QueryProtocol } from "./aws-service.js";
import { requestContext, sendResponse } from "./http-response.js";
import { isJsonObject } from "./json-input.js";
import { readQueryInput } from "./query-input.js";
import { queryErrorXml, queryRequestError, queryResponseXml } from "./query-xml.js";
import { readRequestBody } from "./request-body.js";

const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * More parameters than the largest request needs (a SendMessageBatch of 10 entries with 10
 * attributes each is under 500): the cap bounds the work of reading a request.
 */
export const MAX_QUERY_PARAMETERS = 1000;

/** A form POST, or a GET with an Action in its query string. */
export function isQueryRequest(req: IncomingMessage): boolean {
  if (req.method === "GET") return /[?&]Action=/.test(req.url ?? "");
  return req.method === "POST" && FORM_CONTENT_TYPE.test(req.headers["content-type"] ?? "");
}

/** Answers a Query-protocol request with `service`, which has `query`. */
export async function answerQueryRequest(
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  service: AwsJsonService & { query: QueryProtocol },
  limit: number,
  closing: AbortSignal,
): Promise<void> {
  const protocol = service.query;
  const answerError = (error: AwsError, headers: Record<string, string> = {}) =>
    sendResponse(
      res,
      requestId,
      error.statusCode,
      "text/xml",
      queryErrorXml(protocol.xmlNamespace, error, requestId),
      headers,
    );

  const read = await readRequestBody(req, limit);
  if (!read.ok) {
    if (read.reason === "too-large") {
      // The rest of the body is never read: close the connection instead of draining it.
      answerError(
        new AwsError(
          "RequestEntityTooLarge",
          `The request body is over ${limit} bytes, the most this endpoint reads for ${service.targetPrefix}`,
          413,
        ),
        { Connection: "close" },
      );
    }
    return;
  }

  const [path = "/", search = ""] = (req.url ?? "/").split("?", 2);
  if (hasMoreParameters(Buffer.from(search), read.body, MAX_QUERY_PARAMETERS)) {
    return answerError(
      queryRequestError(
        "MalformedQueryString",
        `The request has more than ${MAX_QUERY_PARAMETERS} parameters.`,
      ),
    );
  }
  const params = new URLSearchParams(search);
  for (const [key, value] of new URLSearchParams(read.body.toString("utf8"))) {
    params.append(key, value);
  }

  const operation = params.get("Action");
  if (!operation) {
    return answerError(
      queryRequestError("MissingAction", "The request must contain the parameter Action."),
    );
  }
  try {
    const input = readQueryInput(params, protocol.input(operation));
    const member = protocol.pathMember;
    if (member && path !== "/" && input[member] === undefined) {
      input[member] = `http://${req.headers.host ?? "localhost"}${path}`;
    }
    const output = await service.handle(
      operation,
      input,
      requestContext(req, res, requestId, closing),
    );
    const names = protocol.output(operation);
    const result = names && isJsonObject(output) ? output : undefined;
    sendResponse(
      res,
      requestId,
      200,
      "text/xml",
      queryResponseXml(protocol.xmlNamespace, operation, result, names ?? {}, requestId),
    );
  } catch (error) {
    if (!(error instanceof AwsError)) return answerError(internalError(error));
    if (error.type === "UnknownOperationException") {
      // What Query services answer for an Action they do not have.
      return answerError(
        queryRequestError(
          "InvalidAction",
          `The action ${operation} is not valid for this web service.`,
        ),
      );
    }
    answerError(error);
  }
}

const AMPERSAND = 0x26;

/** Whether the query string and form hold more than `max` parameters, by a scan of their bytes. */
function hasMoreParameters(search: Uint8Array, form: Uint8Array, max: number): boolean {
  let count = 0;
  for (const bytes of [search, form]) {
    if (bytes.length === 0) continue;
    count++;
    for (let at = 0; at < bytes.length; at++) {
      if (bytes[at] === AMPERSAND && ++count > max) return true;
    }
  }
  return count > max;
}
