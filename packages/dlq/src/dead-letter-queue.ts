import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type DeadLetter, readDeadLetter } from "./dead-letter.js";
import type { ServiceQueue } from "./service-queue.js";

/** How long letters stay hidden from other consumers while this tool holds them. */
const HOLD_SECONDS = 60;

export interface RedriveResult {
  readonly redriven: DeadLetter[];
  readonly kept: { letter: DeadLetter; why: string }[];
}

/** A service's dead-letter queue, through the AWS SDK: on AWS, or on the local endpoint. */
export class DeadLetterQueue {
  constructor(
    private readonly target: ServiceQueue,
    private readonly sqs: SQSClient,
    private readonly events: EventBridgeClient,
  ) {}

  static connect(
    target: ServiceQueue,
    client: { region: string; endpoint?: string },
  ): DeadLetterQueue {
    const config = {
      region: client.region,
      ...(client.endpoint && {
        endpoint: client.endpoint,
        // The local endpoint takes any credentials; AWS uses the usual provider chain.
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }),
    };
    return new DeadLetterQueue(target, new SQSClient(config), new EventBridgeClient(config));
  }

  /** Every letter in the queue, read and then made visible again. */
  async list(): Promise<DeadLetter[]> {
    const letters = await this.hold();
    await this.release(letters);
    return letters;
  }

  /**
   * Puts each letter's event back on the bus the service listens on, and deletes the letters
   * whose event was accepted. Letters without an event, or refused, stay in the queue.
   */
  async redrive(messageIds?: readonly string[]): Promise<RedriveResult> {
    const held = await this.hold();
    const chosen = messageIds
      ? held.filter((letter) => messageIds.includes(letter.messageId))
      : held;
    const kept: RedriveResult["kept"] = [];
    const redriven: DeadLetter[] = [];
    const withEvent = chosen.filter((letter) => {
      if (!letter.event) kept.push({ letter, why: "it holds no event to redrive" });
      return letter.event !== undefined;
    });
    for (let start = 0; start < withEvent.length; start += 10) {
      const batch = withEvent.slice(start, start + 10);
      const answer = await this.events.send(
        new PutEventsCommand({
          Entries: batch.map(({ event }) => ({
            EventBusName: this.target.bus.name,
            Source: event?.source,
            DetailType: event?.["detail-type"],
            Detail: JSON.stringify(event?.detail ?? {}),
            Resources: event?.resources,
          })),
        }),
      );
      for (const [index, letter] of batch.entries()) {
        const entry = answer.Entries?.[index];
        if (entry?.EventId && !entry.ErrorCode) {
          await this.sqs.send(
            new DeleteMessageCommand({
              QueueUrl: this.target.queue.url,
              ReceiptHandle: letter.receiptHandle,
            }),
          );
          redriven.push(letter);
        } else {
          kept.push({
            letter,
            why: `PutEvents refused it: ${entry?.ErrorCode}: ${entry?.ErrorMessage}`,
          });
        }
      }
    }
    await this.release([
      ...kept.map(({ letter }) => letter),
      ...held.filter((l) => !chosen.includes(l)),
    ]);
    return { redriven, kept };
  }

  close(): void {
    this.sqs.destroy();
    this.events.destroy();
  }

  /** Receives until the queue has nothing visible left, keeping each letter hidden meanwhile. */
  private async hold(): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    for (;;) {
      const answer = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.target.queue.url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: HOLD_SECONDS,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["SentTimestamp", "ApproximateReceiveCount"],
        }),
      );
      const messages = answer.Messages ?? [];
      if (messages.length === 0) return letters;
      letters.push(...messages.map(readDeadLetter));
    }
  }

  private async release(letters: readonly DeadLetter[]): Promise<void> {
    for (const letter of letters) {
      await this.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.target.queue.url,
          ReceiptHandle: letter.receiptHandle,
          VisibilityTimeout: 0,
        }),
      );
    }
  }
}
