import type { Handler } from "aws-lambda";
import { parseEvent } from "./event.js";

/** What the service answers: the seed's documented contract, spelling included. */
export interface ServiceResult {
  statusCode: number;
  reponse: string;
}

export const handler: Handler<unknown, ServiceResult> = async (event) => {
  console.log(`Hello AWS! event = ${JSON.stringify(event)}`);
  // A malformed event throws MalformedEventError naming the field: Lambda retries it, then the
  // onFailure destination puts it in the dead-letter queue with that errorType and errorMessage.
  parseEvent(event);
  return { statusCode: 200, reponse: "Hello Lambda" };
};
