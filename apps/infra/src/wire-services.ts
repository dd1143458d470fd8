import { ServiceConstruct, type ServiceSubscription } from "@ebsvc/service-construct";
import { SOURCE_BUS, type Subscription } from "@ebsvc/service-contract";
import { type App, CfnWaitConditionHandle, type Environment } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as sns from "aws-cdk-lib/aws-sns";
import type { DiscoveredService } from "./discover-services.js";
import { ServiceShardStack, SHARD_COUNT, shardOf, shardStackName } from "./service-shard.js";
import { ServiceStack } from "./service-stack.js";
import type { EventBridgeServicesStack } from "./services-stack.js";
import { successBusOf, upstreamFirst } from "./subscription-graph.js";

export interface WireServicesProps {
  readonly busStack: EventBridgeServicesStack;
  readonly services: readonly DiscoveredService[];
  readonly env?: Environment;
  /** An existing SNS topic every service's dead-letter alarms notify. */
  readonly alarmTopicArn?: string;
}

/**
 * Puts every service in its shard stack, wired to the shared buses and to the services whose
 * results it subscribes to (built first, so their aliases exist). Returns the shard stacks.
 */
export function wireServices(app: App, props: WireServicesProps): ServiceShardStack[] {
  // Every shard stack, even without services: a shard stack that left the app would stay
  // deployed, its last service with it. An empty shard holds a no-op placeholder, since
  // CloudFormation wants at least one resource.
  const shards = new Map<number, ServiceShardStack>();
  for (let shard = 0; shard < SHARD_COUNT; shard++) {
    shards.set(
      shard,
      new ServiceShardStack(app, shardStackName(props.busStack.stackName, shard), {
        busStack: props.busStack,
        env: props.env,
        description: `EventBridge choreography: services of shard ${shard} (a fixed hash of their ids)`,
      }),
    );
  }
  const built = new Map<string, ServiceConstruct>();
  for (const service of upstreamFirst(props.services)) {
    const shard = shardOf(service.id);
    const stack = shards.get(shard) as ServiceShardStack;
    const alarmTopic =
      props.alarmTopicArn === undefined
        ? undefined
        : ((stack.node.tryFindChild("AlarmTopic") as sns.ITopic | undefined) ??
          sns.Topic.fromTopicArn(stack, "AlarmTopic", props.alarmTopicArn));
    const serviceStack = new ServiceStack(stack, service.id, {
      service,
      sourceBus: stack.buses[SOURCE_BUS],
      successBus: stack.buses[successBusOf(service)],
      alarmTopic,
      subscriptions: (service.settings.subscriptions ?? []).map((subscription) =>
        resolveSubscription(subscription, stack.buses, built),
      ),
    });
    stack.services[service.id] = serviceStack;
    built.set(service.id, serviceStack.service);
  }
  for (const stack of shards.values()) {
    if (Object.keys(stack.services).length === 0) {
      new CfnWaitConditionHandle(stack, "EmptyShardPlaceholder");
    }
  }
  return [...shards.entries()].sort(([a], [b]) => a - b).map(([, stack]) => stack);
}

function resolveSubscription(
  subscription: Subscription,
  buses: Record<string, events.IEventBus>,
  built: ReadonlyMap<string, ServiceConstruct>,
): ServiceSubscription {
  if (subscription.resultsOf !== undefined) {
    const upstream = built.get(subscription.resultsOf);
    if (!upstream) throw new Error(`service ${subscription.resultsOf} is not built yet`);
    return ServiceConstruct.resultsOf(upstream);
  }
  const { "detail-type": detailType, ...rest } = subscription.pattern ?? {};
  return {
    eventBus: buses[subscription.bus ?? SOURCE_BUS] as events.IEventBus,
    // CDK spells detail-type in camelCase and passes every other field through as written.
    eventPattern: {
      ...rest,
      ...(detailType !== undefined && { detailType }),
    } as events.EventPattern,
    description: `Pattern on ${subscription.bus}`,
  };
}
