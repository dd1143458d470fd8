export { AwsError } from "./aws-error.js";
export { type RunningAwsJsonServer, startAwsJsonServer } from "./aws-json-server.js";
export type { AwsJsonService } from "./aws-service.js";
export { createEventsApi, type EventsApiOptions } from "./events-api.js";
export { createSqsApi, MAX_SQS_REQUEST_BYTES } from "./sqs-api.js";
