import { ServiceConstruct, type ServiceSubscription } from "@ebsvc/service-construct";
import { deadLetterQueueNameOf, functionNameOf } from "@ebsvc/service-contract";
import { Duration, NestedStack } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import type { DiscoveredService } from "./discover-services.js";

export interface ServiceStackProps {
  readonly service: DiscoveredService;
  /** The bus the service listens on. */
  readonly sourceBus: events.IEventBus;
  /** The bus its success results go to. */
  readonly successBus: events.IEventBus;
  /** Where the service's dead-letter alarms notify, if anywhere. */
  readonly alarmTopic?: sns.ITopic;
  /** What it listens to besides its own id, resolved to buses and patterns. */
  readonly subscriptions: readonly ServiceSubscription[];
}

/**
 * One service in a nested stack of its own. A service brings about a dozen resources, so
 * nesting keeps its shard stack far below CloudFormation's 500-resource limit (a service
 * costs the shard one resource), and a change to one service touches only its own stack.
 */
export class ServiceStack extends NestedStack {
  public readonly service: ServiceConstruct;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, { description: `Service ${props.service.id}` });
    const { settings } = props.service;
    this.service = new ServiceConstruct(this, props.service.id, {
      serviceDirectory: props.service.directory,
      eventBus: props.sourceBus,
      successBus: props.successBus,
      buildArgs: { RIC_VERSION: props.service.runtimeClientVersion },
      memorySize: settings.memorySize,
      timeout:
        settings.timeoutSeconds === undefined
          ? undefined
          : Duration.seconds(settings.timeoutSeconds),
      retryAttempts: settings.retryAttempts,
      maxEventAge:
        settings.maxEventAgeSeconds === undefined
          ? undefined
          : Duration.seconds(settings.maxEventAgeSeconds),
      provisionedConcurrency: settings.provisionedConcurrency,
      architecture: settings.architecture === "arm64" ? lambda.Architecture.ARM_64 : undefined,
      logRetention: settings.logRetentionDays as logs.RetentionDays | undefined,
      alarmTopic: props.alarmTopic,
      subscriptions: props.subscriptions,
      deadLetterQueueName: deadLetterQueueNameOf(props.service.id),
      functionName: functionNameOf(props.service.id),
    });
  }
}
