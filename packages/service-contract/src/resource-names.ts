import { createHash } from "node:crypto";

/** The alias every service's rules invoke; it carries the asynchronous invocation config. */
export const ALIAS_NAME = "live";

const FUNCTION_NAME_MAX = 64;

/**
 * The function's name: fixed, so a subscriber in another shard stack names the alias ARN
 * outright instead of importing it (stacks importing from each other could not be deployed).
 * Lambda allows 64 characters; a longer id keeps its start and gains a hash of the whole.
 */
export function functionNameOf(serviceId: string): string {
  const name = `ebsvc-${serviceId}`;
  if (name.length <= FUNCTION_NAME_MAX) return name;
  const hash = createHash("sha256").update(serviceId).digest("hex").slice(0, 8);
  return `${name.slice(0, FUNCTION_NAME_MAX - 9)}-${hash}`;
}

/**
 * The dead-letter queue's name: fixed, so `pnpm dlq` finds it on AWS and locally from the app
 * alone, and readable in the console.
 */
export function deadLetterQueueNameOf(serviceId: string): string {
  return `ebsvc-${serviceId}-dlq`;
}

/** Where a resource lives, for its ARN. */
export interface ArnPlace {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/** The ARN of the service's alias, which Lambda names in its result events' `resources`. */
export function aliasArnOf(place: ArnPlace, serviceId: string): string {
  const { partition, region, account } = place;
  return `arn:${partition}:lambda:${region}:${account}:function:${functionNameOf(serviceId)}:${ALIAS_NAME}`;
}
