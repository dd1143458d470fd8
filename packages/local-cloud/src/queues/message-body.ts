import { QueueError } from "./queue-error.js";

// What SQS accepts in a body: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
const DISALLOWED = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Refuses a body SQS would refuse: empty, or holding characters outside SQS's allowed set. */
export function validateMessageBody(body: string): void {
  if (body.length === 0) {
    throw new QueueError("MissingParameter", "The request must contain the parameter MessageBody.");
  }
  const bad = DISALLOWED.exec(body);
  if (bad) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase();
    throw new QueueError(
      "InvalidMessageContents",
      `Invalid binary character '#x${code}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`,
    );
  }
}
