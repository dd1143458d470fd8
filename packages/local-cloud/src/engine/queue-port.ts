import type { MessageAttributes } from "./observations.js";

/** What the engine needs of a queue: to put messages in it. */
export interface QueuePort {
  readonly name: string;
  readonly arn: string;
  send(body: string, attributes?: MessageAttributes): unknown;
}
