export { AwsError } from "./aws-error.js";
export {
  type AwsJsonServerOptions,
  DEFAULT_MAX_REQUEST_BYTES,
  type RunningAwsJsonServer,
  startAwsJsonServer,
} from "./aws-json-server.js";
export type { AwsJsonRequestContext, AwsJsonService, QueryProtocol } from "./aws-service.js";
export {
  createEventsApi,
  type EventsApiOptions,
  type PutEventsResult,
  putEvents,
} from "./events-api.js";
export type { JsonObject } from "./json-input.js";
export {
  DEFAULT_EVENT_BUS,
  type EntryConversion,
  type EntryFailure,
  type EventContext,
  entrySize,
  entryToEvent,
  formatEventTime,
  type PutEventsEntry,
} from "./put-events-entry.js";
export { DEFAULT_MAX_ENTRIES_BYTES, MAX_ENTRIES } from "./put-events-request.js";
export { createSqsApi, MAX_SQS_REQUEST_BYTES, type SqsApiOptions } from "./sqs-api.js";
