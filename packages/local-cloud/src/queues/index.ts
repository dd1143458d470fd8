export { type Clock, systemClock } from "./clock.js";
export {
  LocalQueue,
  type LocalQueueOptions,
  type QueueMessageListener,
  type QueueMessageNotice,
  type ReceivedMessage,
  type ReceiveOptions,
  type SendOptions,
  type SendResult,
} from "./local-queue.js";
export {
  type MessageAttributes,
  type MessageAttributeValue,
  messageSize,
} from "./message-attributes.js";
export { md5OfBody, md5OfMessageAttributes } from "./message-md5.js";
export { parseQueueArn, parseQueueUrl } from "./queue-address.js";
export { QueueError, type QueueErrorCode } from "./queue-error.js";
export type { QueueSettings } from "./queue-settings.js";
export { QueueStore, type QueueStoreOptions } from "./queue-store.js";
