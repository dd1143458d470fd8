export type { Clock } from "./clock.js";
export { LocalQueue, type LocalQueueOptions, type ReceivedMessage } from "./local-queue.js";
export {
  type MessageAttributes,
  type MessageAttributeValue,
  messageSize,
} from "./message-attributes.js";
export { md5OfMessageAttributes } from "./message-md5.js";
export { QueueError } from "./queue-error.js";
export { QueueStore } from "./queue-store.js";
