import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type DeadLetter, readDeadLetter } from "./dead-letter.js";
import type { ServiceQueue } from "./service-queue.js";

/** How long letters stay hidden from other consumers while redrive holds them. */
const HOLD_SECONDS = 60;
/**
 * How long list keeps a letter hidden at most: it makes the letters it read visible again as
 * soon as it reaches the end of what it can see, so this only matters if it dies first.
 */
const PEEK_SECONDS = 5;
/** How long list waits for letters another reader holds before it lists without them. */
const PATIENCE_MS = (PEEK_SECONDS + 1) * 1000;
/** The pause between two passes of list, while others still hold letters. */
const PASS_PAUSE_MS = 50;

export interface LetterList {
  /** Oldest first. */
  readonly letters: DeadLetter[];
  /** Letters the queue counted that another reader kept hidden past list's patience. */
  readonly heldElsewhere: number;
}

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

  /**
   * Every letter in the queue, oldest first, each made visible again at once. SQS can only
   * show a message by hiding it from other readers, and a reader sees nothing another one
   * hides. So list reads in passes: it keeps what it read hidden (so that its next receive
   * gets other letters) until a receive comes back empty, then makes it all visible again,
   * for the others, and goes on until it has seen as many letters as the queue held when it
   * started. Concurrent lists each see every letter; a letter that a consumer other than
   * list holds is waited for PATIENCE_MS at most, then left out and counted in heldElsewhere.
   */
  async list(): Promise<LetterList> {
    const expected = await this.countMessages();
    const seen = new Map<string, DeadLetter>();
    let held: DeadLetter[] = [];
    let lastNewAt = Date.now();
    for (;;) {
      const letters = await this.receive(PEEK_SECONDS);
      held.push(...letters);
      for (const letter of letters) {
        if (seen.has(letter.messageId)) continue;
        seen.set(letter.messageId, letter);
        lastNewAt = Date.now();
      }
      if (letters.length > 0) continue;
      await this.release(held);
      held = [];
      if (seen.size >= expected || Date.now() - lastNewAt > PATIENCE_MS) break;
      await new Promise((resolve) => setTimeout(resolve, PASS_PAUSE_MS));
    }
    const letters = [...seen.values()].sort(
      (a, b) =>
        (a.sentAt ?? "").localeCompare(b.sentAt ?? "") || a.messageId.localeCompare(b.messageId),
    );
    return { letters, heldElsewhere: Math.max(0, expected - letters.length) };
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
      const received = await this.receive(HOLD_SECONDS);
      if (received.length === 0) return letters;
      letters.push(...received);
    }
  }

  /** Up to 10 letters, hidden from other readers for `visibilitySeconds`. */
  private async receive(visibilitySeconds: number): Promise<DeadLetter[]> {
    const answer = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.target.queue.url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: visibilitySeconds,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["SentTimestamp", "ApproximateReceiveCount"],
      }),
    );
    return (answer.Messages ?? []).map(readDeadLetter);
  }

  /** The letters in the queue, visible or held by a reader. */
  private async countMessages(): Promise<number> {
    const { Attributes } = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.target.queue.url,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  }

  /**
   * Makes the letters visible again at once, ten to a request. A letter deleted meanwhile (a
   * concurrent redrive) fails its entry, which is what is wanted anyway.
   */
  private async release(letters: readonly DeadLetter[]): Promise<void> {
    for (let start = 0; start < letters.length; start += 10) {
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.target.queue.url,
          Entries: letters.slice(start, start + 10).map((letter, index) => ({
            Id: String(index),
            ReceiptHandle: letter.receiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
    }
  }
}
