import { parse, validate } from "@aws-sdk/util-arn-parser";

/** ARNs and URLs as AWS forms them, for a resource's physical name. */
export interface Place {
  readonly account: string;
  readonly region: string;
}

const PARTITION = "aws";

export const arns = {
  eventBus: (p: Place, name: string) =>
    `arn:${PARTITION}:events:${p.region}:${p.account}:event-bus/${name}`,
  rule: (p: Place, busName: string, ruleName: string) =>
    busName === "default"
      ? `arn:${PARTITION}:events:${p.region}:${p.account}:rule/${ruleName}`
      : `arn:${PARTITION}:events:${p.region}:${p.account}:rule/${busName}/${ruleName}`,
  archive: (p: Place, name: string) =>
    `arn:${PARTITION}:events:${p.region}:${p.account}:archive/${name}`,
  function: (p: Place, name: string) =>
    `arn:${PARTITION}:lambda:${p.region}:${p.account}:function:${name}`,
  queue: (p: Place, name: string) => `arn:${PARTITION}:sqs:${p.region}:${p.account}:${name}`,
  queueUrl: (p: Place, name: string) =>
    `https://sqs.${p.region}.amazonaws.com/${p.account}/${name}`,
  topic: (p: Place, name: string) => `arn:${PARTITION}:sns:${p.region}:${p.account}:${name}`,
  logGroup: (p: Place, name: string) =>
    `arn:${PARTITION}:logs:${p.region}:${p.account}:log-group:${name}:*`,
  role: (p: Place, name: string) => `arn:${PARTITION}:iam::${p.account}:role/${name}`,
  stack: (p: Place, name: string) =>
    `arn:${PARTITION}:cloudformation:${p.region}:${p.account}:stack/${name}/local`,
};

/** The parts of an ARN (`arn:partition:service:region:account:resource`), or undefined. */
export function parseArn(
  arn: string,
): { service: string; region: string; account: string; resource: string } | undefined {
  if (!validate(arn)) return undefined;
  const { service, region, accountId, resource } = parse(arn);
  return { service, region, account: accountId, resource };
}
