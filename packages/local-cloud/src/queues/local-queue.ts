import { randomUUID } from "node:crypto";
import type { StateDatabase } from "../state/state-database.js";
import {
  checkAttributeNames,
  pickAttributes,
  QUEUE_ATTRIBUTES,
  SYSTEM_ATTRIBUTES,
} from "./attribute-names.js";
import { type Clock, systemClock } from "./clock.js";
import {
  type MessageAttributes,
  messageSize,
  selectAttributes,
  validateMessageAttributes,
} from "./message-attributes.js";
import { validateMessageBody } from "./message-body.js";
import { md5OfBody, md5OfMessageAttributes } from "./message-md5.js";
import { parseQueueArn } from "./queue-address.js";
import { invalidParameter, QueueError } from "./queue-error.js";
import { QueueMessages, type StoredMessage } from "./queue-messages.js";
import { type QueueSettings, resolveSettings, SETTING_RANGES } from "./queue-settings.js";
import { decodeReceiptHandle, encodeReceiptHandle } from "./receipt-handle.js";
import { WaitingReceives } from "./waiting-receives.js";

export interface LocalQueueOptions extends Partial<QueueSettings> {
  name: string;
  /** arn:aws:sqs:<region>:<account>:<name>; the account is taken from it. */
  arn: string;
  /** What GetQueueUrl answers. */
  url: string;
  clock?: Clock;
  /** Where the messages are kept. @default an in-memory database of its own */
  state?: StateDatabase;
}

export interface SendOptions {
  /** Overrides the queue's DelaySeconds for this message (0-900). */
  delaySeconds?: number;
  /** The AWSTraceHeader system attribute, returned to receivers that ask for it. */
  traceHeader?: string;
}

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
}

export interface ReceiveOptions {
  /** 1-10, default 1. */
  maxNumberOfMessages?: number;
  /** 0-43200; default the queue's VisibilityTimeout. */
  visibilityTimeoutSeconds?: number;
  /** 0-20; default the queue's ReceiveMessageWaitTimeSeconds. */
  waitTimeSeconds?: number;
  /** Message attributes to return: names, "prefix.*", or "All". */
  messageAttributeNames?: readonly string[];
  /** System attributes to return (ApproximateReceiveCount, SentTimestamp, ...), or "All". */
  systemAttributeNames?: readonly string[];
  /** Ends a long poll early with no messages (the caller went away): none is taken then. */
  signal?: AbortSignal;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: MessageAttributes;
  MD5OfMessageAttributes?: string;
}

/** What onMessage listeners are told of every message sent. */
interface QueueMessageNotice {
  queueName: string;
  messageId: string;
  body: string;
  attributes: MessageAttributes;
}

export type QueueMessageListener = (notice: QueueMessageNotice) => void;

/** One receive's parameters, resolved and validated. */
interface TakeRequest {
  max: number;
  visibilitySeconds: number;
  messageAttributeNames: readonly string[];
  systemAttributeNames: readonly string[];
}

const MAX_RECEIVE = 10;
const PURGE_INTERVAL_MS = 60_000;

/** A standard SQS queue; its messages are kept in the state database. */
export class LocalQueue {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly account: string;
  readonly settings: QueueSettings;
  readonly createdAt: number;
  private readonly clock: Clock;
  private readonly messages: QueueMessages;
  private readonly listeners = new Set<QueueMessageListener>();
  private readonly waiting: WaitingReceives<TakeRequest, ReceivedMessage>;
  private lastPurgeAt: number | undefined;

  constructor(options: LocalQueueOptions) {
    const arn = parseQueueArn(options.arn);
    if (!arn || arn.name !== options.name) {
      throw new Error(
        `queue ${options.name}: arn ${options.arn} is not an SQS queue ARN ending in :${options.name}`,
      );
    }
    this.name = options.name;
    this.arn = options.arn;
    this.url = options.url;
    this.account = arn.account;
    this.settings = resolveSettings(options.name, options);
    this.clock = options.clock ?? systemClock;
    this.createdAt = this.clock.now();
    this.messages = new QueueMessages(this.name, options.state);
    this.waiting = new WaitingReceives(
      this.clock,
      (request: TakeRequest) => this.take(request),
      () => this.nextVisibleAt(),
    );
  }

  /** Calls `listener` synchronously for every message sent from now on; returns an unsubscribe. */
  onMessage(listener: QueueMessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(body: string, attributes: MessageAttributes = {}, options: SendOptions = {}): SendResult {
    validateMessageBody(body);
    validateMessageAttributes(attributes);
    const size = messageSize(body, attributes);
    if (size > this.settings.maximumMessageSizeBytes) {
      throw new QueueError(
        "InvalidParameterValue",
        `One or more parameters are invalid. Reason: Message must be shorter than ${this.settings.maximumMessageSizeBytes} bytes.`,
      );
    }
    const delaySeconds = options.delaySeconds ?? this.settings.delaySeconds;
    checkRange("DelaySeconds", delaySeconds, SETTING_RANGES.delaySeconds);

    const now = this.clock.now();
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      attributes: { ...attributes },
      md5OfBody: md5OfBody(body),
      md5OfAttributes: md5OfMessageAttributes(attributes),
      traceHeader: options.traceHeader,
      sentAt: now,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
      firstReceivedAt: undefined,
    };
    this.messages.add(message);
    this.notify(message);
    this.waiting.wake();

    const result: SendResult = { MessageId: message.id, MD5OfMessageBody: message.md5OfBody };
    if (message.md5OfAttributes) result.MD5OfMessageAttributes = message.md5OfAttributes;
    return result;
  }

  /**
   * Takes up to MaxNumberOfMessages visible messages, hiding each for the visibility timeout.
   * With a wait (long polling) and none visible, resolves as soon as one becomes receivable,
   * or with none when the wait ends.
   */
  async receive(options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const request: TakeRequest = {
      max: options.maxNumberOfMessages ?? 1,
      visibilitySeconds: options.visibilityTimeoutSeconds ?? this.settings.visibilityTimeoutSeconds,
      messageAttributeNames: options.messageAttributeNames ?? [],
      systemAttributeNames: options.systemAttributeNames ?? [],
    };
    const waitSeconds = options.waitTimeSeconds ?? this.settings.receiveMessageWaitTimeSeconds;
    if (!Number.isInteger(request.max) || request.max < 1 || request.max > MAX_RECEIVE) {
      throw invalidParameter(
        "MaxNumberOfMessages",
        request.max,
        `Must be between 1 and ${MAX_RECEIVE}, if provided.`,
      );
    }
    checkRange(
      "VisibilityTimeout",
      request.visibilitySeconds,
      SETTING_RANGES.visibilityTimeoutSeconds,
    );
    checkRange("WaitTimeSeconds", waitSeconds, SETTING_RANGES.receiveMessageWaitTimeSeconds);
    checkAttributeNames(request.systemAttributeNames, SYSTEM_ATTRIBUTES);

    const taken = this.take(request);
    if (taken.length > 0 || waitSeconds === 0 || options.signal?.aborted) return taken;
    return this.waiting.add(request, waitSeconds * 1000, options.signal);
  }

  /**
   * Deletes the message a receipt handle was issued for. As in SQS, a handle from an earlier
   * receive of a message received again since, or of a message already gone, is accepted and
   * deletes nothing.
   */
  delete(receiptHandle: string): void {
    const message = this.messageFor(receiptHandle);
    if (message) this.messages.delete(message.id);
  }

  /** Makes a message received with `receiptHandle` visible again after `timeoutSeconds`. */
  changeVisibility(receiptHandle: string, timeoutSeconds: number): void {
    checkRange("VisibilityTimeout", timeoutSeconds, SETTING_RANGES.visibilityTimeoutSeconds);
    const message = this.messageFor(receiptHandle);
    if (!message) {
      throw invalidParameter(
        "ReceiptHandle",
        receiptHandle,
        "Message does not exist or is not available for visibility timeout change.",
      );
    }
    const now = this.clock.now();
    if (message.visibleAt <= now) {
      throw new QueueError(
        "MessageNotInflight",
        `The message received with receipt handle ${receiptHandle} is not in flight: its visibility timeout has expired.`,
      );
    }
    this.messages.setVisibleAt(message.id, now + timeoutSeconds * 1000);
    this.waiting.wake();
  }

  /** Deletes every message. Like SQS, allows one purge per 60 seconds. */
  purge(): void {
    const now = this.clock.now();
    if (this.lastPurgeAt !== undefined && now - this.lastPurgeAt < PURGE_INTERVAL_MS) {
      throw new QueueError(
        "PurgeQueueInProgress",
        `Only one PurgeQueue operation on ${this.name} is allowed every 60 seconds.`,
      );
    }
    this.lastPurgeAt = now;
    this.messages.clear();
  }

  /** Queue attributes by name ("All" for every one), as GetQueueAttributes returns them. */
  attributes(names: readonly string[] = ["All"]): Record<string, string> {
    checkAttributeNames(names, QUEUE_ATTRIBUTES);
    return pickAttributes(this.allAttributes(), names);
  }

  /** Ends every long poll now, with no messages. */
  close(): void {
    this.waiting.endAll();
  }

  private allAttributes(): Record<string, string> {
    const { visible, inFlight, delayed } = this.messages.counts(this.expire());
    const created = String(Math.floor(this.createdAt / 1000));
    return {
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(inFlight),
      ApproximateNumberOfMessagesDelayed: String(delayed),
      CreatedTimestamp: created,
      LastModifiedTimestamp: created,
      DelaySeconds: String(this.settings.delaySeconds),
      MaximumMessageSize: String(this.settings.maximumMessageSizeBytes),
      MessageRetentionPeriod: String(this.settings.retentionSeconds),
      QueueArn: this.arn,
      ReceiveMessageWaitTimeSeconds: String(this.settings.receiveMessageWaitTimeSeconds),
      VisibilityTimeout: String(this.settings.visibilityTimeoutSeconds),
    };
  }

  private take(request: TakeRequest): ReceivedMessage[] {
    const now = this.expire();
    return this.messages.state.transaction(() =>
      this.messages.receivable(now, request.max).map((message) => {
        message.receiveCount++;
        message.firstReceivedAt ??= now;
        message.visibleAt = now + request.visibilitySeconds * 1000;
        this.messages.received(message);
        return this.toReceived(message, request);
      }),
    );
  }

  private toReceived(message: StoredMessage, request: TakeRequest): ReceivedMessage {
    const received: ReceivedMessage = {
      MessageId: message.id,
      ReceiptHandle: encodeReceiptHandle({
        queueName: this.name,
        messageId: message.id,
        receive: message.receiveCount,
      }),
      MD5OfBody: message.md5OfBody,
      Body: message.body,
    };
    const system = this.systemAttributes(message, request.systemAttributeNames);
    if (Object.keys(system).length > 0) received.Attributes = system;
    const attributes = selectAttributes(message.attributes, request.messageAttributeNames);
    const md5 = md5OfMessageAttributes(attributes);
    if (md5) {
      received.MessageAttributes = attributes;
      // Over the attributes returned, not all of them: that is what receivers can check.
      received.MD5OfMessageAttributes = md5;
    }
    return received;
  }

  private systemAttributes(
    message: StoredMessage,
    names: readonly string[],
  ): Record<string, string> {
    return pickAttributes(
      {
        SenderId: this.account,
        SentTimestamp: String(message.sentAt),
        ApproximateReceiveCount: String(message.receiveCount),
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
        AWSTraceHeader: message.traceHeader,
      },
      names,
    );
  }

  /** The message a handle was issued for, if the handle is its latest; throws for a foreign handle. */
  private messageFor(receiptHandle: string): StoredMessage | undefined {
    const parts = decodeReceiptHandle(receiptHandle);
    if (!parts || parts.queueName !== this.name) {
      throw new QueueError(
        "ReceiptHandleIsInvalid",
        `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`,
      );
    }
    this.expire();
    const message = this.messages.get(parts.messageId);
    return message && message.receiveCount === parts.receive ? message : undefined;
  }

  /** Drops messages past the retention period; returns now. */
  private expire(): number {
    const now = this.clock.now();
    this.messages.expire(now - this.settings.retentionSeconds * 1000);
    return now;
  }

  /** When the next hidden message becomes receivable, if any is hidden. */
  private nextVisibleAt(): number | undefined {
    return this.messages.nextVisibleAt(this.clock.now());
  }

  private notify(message: StoredMessage): void {
    for (const listener of this.listeners) {
      try {
        listener({
          queueName: this.name,
          messageId: message.id,
          body: message.body,
          attributes: message.attributes,
        });
      } catch (error) {
        // The message is queued already: a failing listener must not fail the send (the
        // sender would retry and queue it twice).
        process.emitWarning(
          `queue ${this.name}: an onMessage listener failed for message ${message.id}: ${String(error)}`,
        );
      }
    }
  }
}

function checkRange(parameter: string, value: number, range: { min: number; max: number }): void {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalidParameter(
      parameter,
      value,
      `Must be >= ${range.min} and <= ${range.max}, if provided.`,
    );
  }
}
