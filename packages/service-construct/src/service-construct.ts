import {
  ALIAS_NAME,
  RESULT_SOURCE,
  SERVICE_DEFAULTS,
  SUCCESS_DETAIL_TYPE,
} from "@ebsvc/service-contract";
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as destinations from "aws-cdk-lib/aws-lambda-destinations";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { DeadLetterAlarms } from "./dead-letter-alarms.js";
import { acknowledgeByDesign } from "./design-acknowledgements.js";
import { executionRole } from "./execution-role.js";
import { imageCode } from "./image-code.js";
import type { ServiceConstructProps, ServiceSubscription } from "./service-props.js";
import { recordServiceSource } from "./service-source.js";
import { validateServiceProps } from "./validate-props.js";

/**
 * One event-driven service: a container Lambda triggered by the events of a bus whose
 * `source` is the service id, its results sent on to a bus, its failures kept in a
 * dead-letter queue of its own.
 */
export class ServiceConstruct extends Construct {
  /** The function built from the service folder's Dockerfile. */
  public readonly function: lambda.DockerImageFunction;
  /** The alias the rule invokes; it carries the asynchronous invocation config. */
  public readonly alias: lambda.Alias;
  /** The rule matching `source: [<service id>]` on the event bus. */
  public readonly rule: events.Rule;
  /** Where undeliverable events (rule) and failed invocations (onFailure) end up. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The alarms on the dead-letter queue: a message is waiting, the oldest is too old. */
  public readonly deadLetterAlarms: DeadLetterAlarms;
  /** The function's log group, with its retention. */
  public readonly logGroup: logs.LogGroup;
  /** Where the service's success results go. */
  public readonly successBus: events.IEventBus;
  /** One rule per subscription, in the order given. */
  public readonly subscriptionRules: events.Rule[];

  /**
   * A subscription to another service's success results: they land on its success bus with
   * `source: "lambda"`, never its id, and name its alias in `resources`. When the upstream
   * function has a fixed name, its alias ARN is spelt out (account, region, name), so a
   * subscriber in another stack needs no cross-stack reference to it.
   */
  static resultsOf(upstream: ServiceConstruct): ServiceSubscription {
    const aliasArn =
      upstream.fixedFunctionName === undefined
        ? upstream.alias.functionArn
        : Stack.of(upstream).formatArn({
            service: "lambda",
            resource: "function",
            resourceName: `${upstream.fixedFunctionName}:${upstream.alias.aliasName}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          });
    return {
      eventBus: upstream.successBus,
      eventPattern: {
        source: [RESULT_SOURCE],
        detailType: [SUCCESS_DETAIL_TYPE],
        resources: [aliasArn],
      },
      description: `Success results of service ${upstream.node.id}`,
    };
  }

  /** The function's name when the props fix it. */
  private readonly fixedFunctionName?: string;

  constructor(scope: Construct, id: string, props: ServiceConstructProps) {
    super(scope, id);
    validateServiceProps(id, props);

    const architecture = props.architecture ?? lambda.Architecture.X86_64;
    const tracing = props.tracing ?? lambda.Tracing.ACTIVE;
    const successBus = props.successBus ?? props.eventBus;
    this.successBus = successBus;
    const deadLetterRetention =
      props.deadLetterRetention ?? Duration.days(SERVICE_DEFAULTS.deadLetterRetentionDays);

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: deadLetterRetention,
      queueName: props.deadLetterQueueName,
    });
    this.deadLetterAlarms = new DeadLetterAlarms(this, "DeadLetterAlarms", {
      serviceId: id,
      queue: this.deadLetterQueue,
      retentionSeconds: deadLetterRetention.toSeconds(),
      ageThreshold: props.deadLetterAgeThreshold,
      topic: props.alarmTopic,
    });

    this.logGroup = new logs.LogGroup(this, "LogGroup", {
      retention: props.logRetention ?? (SERVICE_DEFAULTS.logRetentionDays as logs.RetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.fixedFunctionName = props.functionName;
    this.function = new lambda.DockerImageFunction(this, "Function", {
      functionName: props.functionName,
      description: `Service ${id}`,
      code: imageCode(props.serviceDirectory, architecture, props.buildArgs),
      architecture,
      memorySize: props.memorySize ?? SERVICE_DEFAULTS.memorySize,
      timeout: props.timeout ?? Duration.seconds(SERVICE_DEFAULTS.timeoutSeconds),
      tracing,
      environment: props.environment,
      logGroup: this.logGroup,
      role: executionRole(this, "ServiceRole", {
        serviceId: id,
        logGroup: this.logGroup,
        successBus,
        deadLetterQueue: this.deadLetterQueue,
        tracing,
      }),
    });
    recordServiceSource(this.function, id, props.serviceDirectory);

    // The version's logical id is a hash of the function's code and configuration, so it
    // changes (and a new version is published) only when one of them does.
    this.alias = new lambda.Alias(this, "Alias", {
      aliasName: props.aliasName ?? ALIAS_NAME,
      version: this.function.currentVersion,
      provisionedConcurrentExecutions: props.provisionedConcurrency || undefined,
      onSuccess: new destinations.EventBridgeDestination(successBus),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
      retryAttempts: props.retryAttempts ?? SERVICE_DEFAULTS.retryAttempts,
      maxEventAge: props.maxEventAge ?? Duration.seconds(SERVICE_DEFAULTS.maxEventAgeSeconds),
    });

    // Every rule delivers alike: to the alias, with the same retries and dead-letter queue.
    const target = () =>
      new targets.LambdaFunction(this.alias, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.ruleRetryAttempts ?? SERVICE_DEFAULTS.ruleRetryAttempts,
        maxEventAge:
          props.ruleMaxEventAge ?? Duration.seconds(SERVICE_DEFAULTS.ruleMaxEventAgeSeconds),
      });
    this.rule = new events.Rule(this, "Rule", {
      description: `Events with source "${id}" go to service ${id}`,
      eventBus: props.eventBus,
      eventPattern: { source: [id] },
      targets: [target()],
    });
    this.subscriptionRules = (props.subscriptions ?? []).map(
      (subscription, index) =>
        new events.Rule(this, `Subscription${index}`, {
          description: `${subscription.description ?? "Subscription"}: to service ${id}`,
          eventBus: subscription.eventBus,
          eventPattern: subscription.eventPattern,
          targets: [target()],
        }),
    );

    acknowledgeByDesign(this, tracing !== lambda.Tracing.DISABLED);

    new CfnOutput(this, "AliasArn", {
      description: `ARN of the alias of service ${id}`,
      value: this.alias.functionArn,
    });
    new CfnOutput(this, "DeadLetterQueueUrl", {
      description: `URL of the dead-letter queue of service ${id}`,
      value: this.deadLetterQueue.queueUrl,
    });
  }
}
