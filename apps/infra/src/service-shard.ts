import { createHash } from "node:crypto";
import { Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { ServiceStack } from "./service-stack.js";

/**
 * How many stacks services are spread over. Fixed, so a service's stack depends on its id
 * alone: adding a service never moves another (a move would replace its resources). Each
 * service is one nested stack, so a shard stack holds hundreds of services.
 */
export const SHARD_COUNT = 8;

/** The shard of a service: a hash of its id, the same on every synth. */
export function shardOf(serviceId: string): number {
  return (createHash("sha256").update(serviceId).digest()[0] ?? 0) % SHARD_COUNT;
}

/** The stack name of a shard, e.g. `EventBridgeServicesStack-Services3`. */
export function shardStackName(appStackName: string, shard: number): string {
  return `${appStackName}-Services${shard}`;
}

/** A stack of services, each in a nested stack of its own; the buses come from the bus stack. */
export class ServiceShardStack extends Stack {
  public readonly services: Record<string, ServiceStack> = {};

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
  }
}
