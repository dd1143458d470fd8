import { createHash } from "node:crypto";
import { type BusName, OUTPUT_BUS, SOURCE_BUS } from "@ebsvc/service-contract";
import { Stack, type StackProps } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import type { Construct } from "constructs";
import type { ServiceStack } from "./service-stack.js";
import type { EventBridgeServicesStack } from "./services-stack.js";

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

export interface ServiceShardStackProps extends StackProps {
  /** The stack holding the buses: deployed first. */
  readonly busStack: EventBridgeServicesStack;
}

/**
 * A stack of services, each in a nested stack of its own. It names the bus stack's buses
 * instead of importing them, and names other services' aliases the same way (their function
 * names are fixed), so no stack imports from another: shards never depend on each other, and a
 * subscription may cross shards in any direction.
 */
export class ServiceShardStack extends Stack {
  public readonly services: Record<string, ServiceStack> = {};
  /** The buses, by name. */
  public readonly buses: Record<BusName, events.IEventBus>;

  constructor(scope: Construct, id: string, props: ServiceShardStackProps) {
    super(scope, id, props);
    const { busNames } = props.busStack;
    this.buses = {
      [SOURCE_BUS]: events.EventBus.fromEventBusName(this, "SourceBus", busNames[SOURCE_BUS]),
      [OUTPUT_BUS]: events.EventBus.fromEventBusName(this, "OutputBus", busNames[OUTPUT_BUS]),
    };
    this.addStackDependency(props.busStack, "its services' rules are on the bus stack's buses");
  }
}
