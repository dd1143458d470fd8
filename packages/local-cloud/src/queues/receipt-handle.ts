import { randomBytes } from "node:crypto";

/** What a receipt handle stands for: one receive of one message of one queue. */
export interface ReceiptHandleParts {
  queueName: string;
  messageId: string;
  /** Which receive of the message issued the handle (its ApproximateReceiveCount then). */
  receive: number;
}

/**
 * Receipt handles carry what they stand for (plus randomness, so they are as opaque and unique
 * as SQS's): the queue need not remember every handle it ever issued to tell a stale handle
 * (accepted, as SQS does) from one it never issued (ReceiptHandleIsInvalid).
 */
export function encodeReceiptHandle(parts: ReceiptHandleParts): string {
  const nonce = randomBytes(12).toString("base64url");
  return Buffer.from(
    JSON.stringify([parts.queueName, parts.messageId, parts.receive, nonce]),
  ).toString("base64url");
}

export function decodeReceiptHandle(handle: string): ReceiptHandleParts | undefined {
  try {
    const parts: unknown = JSON.parse(Buffer.from(handle, "base64url").toString("utf8"));
    if (!Array.isArray(parts) || parts.length !== 4) return undefined;
    const [queueName, messageId, receive] = parts;
    if (typeof queueName !== "string" || typeof messageId !== "string") return undefined;
    if (typeof receive !== "number" || !Number.isInteger(receive)) return undefined;
    return { queueName, messageId, receive };
  } catch {
    return undefined;
  }
}
