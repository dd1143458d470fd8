import { type ARN, build, parse, validate } from "@aws-sdk/util-arn-parser";

/** ARNs and URLs as AWS forms them, for a resource's physical name. */
export interface Place {
  readonly account: string;
  readonly region: string;
}

const PARTITION = "aws";

/** `arn:aws:<service>:<region>:<account>:<resource>` in the place (IAM's ARNs have no region). */
const arnIn = (p: Place, service: string, resource: string, region = p.region) =>
  build({ partition: PARTITION, service, region, accountId: p.account, resource });

export const arns = {
  eventBus: (p: Place, name: string) => arnIn(p, "events", `event-bus/${name}`),
  rule: (p: Place, busName: string, ruleName: string) =>
    arnIn(p, "events", busName === "default" ? `rule/${ruleName}` : `rule/${busName}/${ruleName}`),
  archive: (p: Place, name: string) => arnIn(p, "events", `archive/${name}`),
  function: (p: Place, name: string) => arnIn(p, "lambda", `function:${name}`),
  queue: (p: Place, name: string) => arnIn(p, "sqs", name),
  queueUrl: (p: Place, name: string) =>
    `https://sqs.${p.region}.amazonaws.com/${p.account}/${name}`,
  topic: (p: Place, name: string) => arnIn(p, "sns", name),
  logGroup: (p: Place, name: string) => arnIn(p, "logs", `log-group:${name}:*`),
  role: (p: Place, name: string) => arnIn(p, "iam", `role/${name}`, ""),
  stack: (p: Place, name: string) => arnIn(p, "cloudformation", `stack/${name}/local`),
};

/** The parts of an ARN (`arn:partition:service:region:account:resource`), or undefined. */
export function parseArn(arn: string): ARN | undefined {
  return validate(arn) ? parse(arn) : undefined;
}

/** The bus an event bus ARN names; undefined for any other ARN. */
export function eventBusNameOf(arn: string): string | undefined {
  const resource = parseArn(arn)?.resource;
  return resource?.startsWith("event-bus/") ? resource.slice("event-bus/".length) : undefined;
}

/**
 * The unqualified ARN of the function that a function, version or alias ARN names
 * (`…:function:name[:qualifier]`); undefined for any other ARN.
 */
export function functionArnOf(arn: string): string | undefined {
  const parts = parseArn(arn);
  const [kind, name] = parts?.resource.split(":") ?? [];
  if (parts?.service !== "lambda" || kind !== "function" || !name) return undefined;
  return build({ ...parts, resource: `function:${name}` });
}

/**
 * The name in a Lambda `FunctionName`, which takes a name, an ARN or a partial ARN
 * (`123456789012:function:name`), each perhaps with a `:qualifier`.
 */
export function lambdaFunctionName(value: string): string {
  const resource = parseArn(value)?.resource ?? value;
  const inArn = /(?:^|:)function:([^:]+)/.exec(resource);
  return inArn?.[1] ?? resource.replace(/:.*/s, "");
}
