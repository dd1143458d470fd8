/** Where a queue lives, from its ARN: arn:<partition>:sqs:<region>:<account>:<name>. */
export interface QueueArnParts {
  region: string;
  account: string;
  name: string;
}

const QUEUE_ARN = /^arn:[a-z0-9-]+:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(\.fifo)?)$/;

export function parseQueueArn(arn: string): QueueArnParts | undefined {
  const match = QUEUE_ARN.exec(arn);
  if (!match) return undefined;
  return { region: match[1] as string, account: match[2] as string, name: match[3] as string };
}

/**
 * The account and queue name in a queue URL. Any host is accepted (the local endpoint, or the
 * AWS URL a deployed app was configured with): only the path, /<account>/<name>, identifies it.
 */
export function parseQueueUrl(url: string): { account: string; name: string } | undefined {
  if (!URL.canParse(url)) return undefined;
  const segments = new URL(url).pathname.split("/").filter((segment) => segment.length > 0);
  if (segments.length < 2) return undefined;
  const name = segments[segments.length - 1] as string;
  const account = segments[segments.length - 2] as string;
  return { account, name };
}
