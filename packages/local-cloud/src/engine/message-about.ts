/**
 * What a queue message is about, for the event log: a dead letter's body is the event; a
 * destination record names its asynchronous invocation and carries the event it was for.
 */
export function messageAbout(body: string): { eventId?: string; requestId?: string } {
  if (!body.startsWith("{")) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {};
  }
  const value = parsed as {
    id?: unknown;
    "detail-type"?: unknown;
    requestContext?: { requestId?: unknown };
    requestPayload?: { id?: unknown; "detail-type"?: unknown };
  };
  const requestId = value.requestContext?.requestId;
  if (typeof requestId === "string") {
    const eventId = value.requestPayload?.id;
    return {
      requestId,
      ...(typeof eventId === "string" && { eventId }),
    };
  }
  if (typeof value.id === "string" && typeof value["detail-type"] === "string") {
    return { eventId: value.id };
  }
  return {};
}
