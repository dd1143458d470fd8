import type { StatementSync } from "node:sqlite";
import { StateDatabase } from "../state/state-database.js";
import type { MessageAttributes } from "./message-attributes.js";

/** A message as a queue keeps it. */
export interface StoredMessage {
  id: string;
  body: string;
  attributes: MessageAttributes;
  md5OfBody: string;
  md5OfAttributes: string | undefined;
  traceHeader: string | undefined;
  sentAt: number;
  /** Receivable from this time on: later than now while delayed or in flight. */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt: number | undefined;
}

interface Row {
  id: string;
  body: string;
  attributes: string;
  md5_body: string;
  md5_attributes: string | null;
  trace_header: string | null;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_received_at: number | null;
}

/**
 * One queue's messages in the state database, in send order (the order receives hand them
 * out), with their visibility and receive counts, so they survive a restart.
 */
export class QueueMessages {
  private readonly insert: StatementSync;
  private readonly byId: StatementSync;
  private readonly drop: StatementSync;
  private readonly dropAll: StatementSync;
  private readonly dropSentBefore: StatementSync;
  private readonly visible: StatementSync;
  private readonly receipt: StatementSync;
  private readonly hide: StatementSync;
  private readonly nextVisible: StatementSync;
  private readonly tally: StatementSync;

  constructor(
    private readonly queue: string,
    readonly state: StateDatabase = new StateDatabase(":memory:"),
  ) {
    const { db } = state;
    this.insert = db.prepare(
      `INSERT INTO queue_messages (queue, id, body, attributes, md5_body, md5_attributes, trace_header, sent_at, visible_at, receive_count, first_received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byId = db.prepare("SELECT * FROM queue_messages WHERE queue = ? AND id = ?");
    this.drop = db.prepare("DELETE FROM queue_messages WHERE queue = ? AND id = ?");
    this.dropAll = db.prepare("DELETE FROM queue_messages WHERE queue = ?");
    this.dropSentBefore = db.prepare("DELETE FROM queue_messages WHERE queue = ? AND sent_at <= ?");
    this.visible = db.prepare(
      "SELECT * FROM queue_messages WHERE queue = ? AND visible_at <= ? ORDER BY seq LIMIT ?",
    );
    this.receipt = db.prepare(
      "UPDATE queue_messages SET visible_at = ?, receive_count = ?, first_received_at = ? WHERE queue = ? AND id = ?",
    );
    this.hide = db.prepare("UPDATE queue_messages SET visible_at = ? WHERE queue = ? AND id = ?");
    this.nextVisible = db.prepare(
      "SELECT MIN(visible_at) AS next FROM queue_messages WHERE queue = ? AND visible_at > ?",
    );
    this.tally = db.prepare(
      `SELECT
         SUM(visible_at <= ?1) AS visible,
         SUM(visible_at > ?1 AND receive_count > 0) AS in_flight,
         SUM(visible_at > ?1 AND receive_count = 0) AS delayed
       FROM queue_messages WHERE queue = ?2`,
    );
  }

  add(message: StoredMessage): void {
    this.insert.run(
      this.queue,
      message.id,
      message.body,
      JSON.stringify(message.attributes),
      message.md5OfBody,
      message.md5OfAttributes ?? null,
      message.traceHeader ?? null,
      message.sentAt,
      message.visibleAt,
      message.receiveCount,
      message.firstReceivedAt ?? null,
    );
  }

  get(id: string): StoredMessage | undefined {
    const row = this.byId.get(this.queue, id) as Row | undefined;
    return row && toMessage(row);
  }

  delete(id: string): void {
    this.drop.run(this.queue, id);
  }

  clear(): void {
    this.dropAll.run(this.queue);
  }

  /** Drops messages sent at or before `time` (past the retention period). */
  expire(time: number): void {
    this.dropSentBefore.run(this.queue, time);
  }

  /** Up to `limit` messages receivable at `now`, in send order. */
  receivable(now: number, limit: number): StoredMessage[] {
    return (this.visible.all(this.queue, now, limit) as unknown as Row[]).map(toMessage);
  }

  /** Records a receive: the message is hidden until `visibleAt`. */
  received(message: StoredMessage): void {
    this.receipt.run(
      message.visibleAt,
      message.receiveCount,
      message.firstReceivedAt ?? null,
      this.queue,
      message.id,
    );
  }

  setVisibleAt(id: string, visibleAt: number): void {
    this.hide.run(visibleAt, this.queue, id);
  }

  /** When the next hidden message becomes receivable, if any is hidden. */
  nextVisibleAt(now: number): number | undefined {
    const row = this.nextVisible.get(this.queue, now) as { next: number | null };
    return row.next ?? undefined;
  }

  counts(now: number): { visible: number; inFlight: number; delayed: number } {
    const row = this.tally.get(now, this.queue) as Record<string, number | null>;
    return {
      visible: row.visible ?? 0,
      inFlight: row.in_flight ?? 0,
      delayed: row.delayed ?? 0,
    };
  }
}

function toMessage(row: Row): StoredMessage {
  return {
    id: row.id,
    body: row.body,
    attributes: JSON.parse(row.attributes) as MessageAttributes,
    md5OfBody: row.md5_body,
    md5OfAttributes: row.md5_attributes ?? undefined,
    traceHeader: row.trace_header ?? undefined,
    sentAt: row.sent_at,
    visibleAt: row.visible_at,
    receiveCount: row.receive_count,
    firstReceivedAt: row.first_received_at ?? undefined,
  };
}
