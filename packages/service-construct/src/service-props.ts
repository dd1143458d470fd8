import type { Duration } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as sns from "aws-cdk-lib/aws-sns";

/** Properties of one service; every field but the folder and the bus has a default. */
export interface ServiceConstructProps {
  /**
   * Folder holding the service's Dockerfile: the image build context.
   * Only the Dockerfile and what its `.dockerignore` lets through are hashed and sent.
   */
  readonly serviceDirectory: string;

  /** The bus whose events with `source` equal to the service id trigger the service. */
  readonly eventBus: events.IEventBus;

  /**
   * The bus that receives the service's success results (Lambda's onSuccess destination).
   * @default the `eventBus` the service listens on (results go back to their source)
   */
  readonly successBus?: events.IEventBus;

  /**
   * What the service listens to besides events whose `source` is its id: one rule each,
   * targeting the alias with the same retry policy and dead-letter queue as the main rule.
   * `ServiceConstruct.resultsOf(upstream)` subscribes to another service's success results.
   * @default none
   */
  readonly subscriptions?: readonly ServiceSubscription[];

  /**
   * The function's name (1 to 64 letters, digits, hyphens and underscores). A fixed name lets
   * other stacks subscribe to the service's results without a cross-stack reference, and
   * makes the function easy to find; a named function cannot be replaced in place.
   * @default a name CloudFormation generates
   */
  readonly functionName?: string;

  /**
   * The dead-letter queue's name, so tools can find it from the app alone (1 to 80 letters,
   * digits, hyphens and underscores). A named queue cannot be replaced in place.
   * @default a name CloudFormation generates
   */
  readonly deadLetterQueueName?: string;

  /**
   * Memory of the function, in MB (128 to 10240).
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * How long one invocation may run (1 second to 15 minutes).
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * X-Ray tracing mode.
   * @default lambda.Tracing.ACTIVE
   */
  readonly tracing?: lambda.Tracing;

  /**
   * Instruction set of the function; also the platform the image is built for.
   * @default lambda.Architecture.X86_64
   */
  readonly architecture?: lambda.Architecture;

  /**
   * How many times Lambda retries an asynchronous invocation whose handler failed (0 to 2).
   * @default 2 (Lambda's default)
   */
  readonly retryAttempts?: number;

  /**
   * How long Lambda keeps an asynchronous event before giving up (1 minute to 6 hours).
   * @default Duration.hours(6) (Lambda's default)
   */
  readonly maxEventAge?: Duration;

  /**
   * Provisioned concurrency on the alias. It bills around the clock, so it is off by default.
   * @default 0 (none)
   */
  readonly provisionedConcurrency?: number;

  /**
   * How many times EventBridge retries delivering an event to the function (0 to 185).
   * @default 0
   */
  readonly ruleRetryAttempts?: number;

  /**
   * How long EventBridge keeps trying to deliver an event to the function (1 minute to 24 hours).
   * @default Duration.seconds(60)
   */
  readonly ruleMaxEventAge?: Duration;

  /**
   * How long the dead-letter queue keeps a message (1 minute to 14 days).
   * @default Duration.days(14), time to act on a failure over a long weekend
   */
  readonly deadLetterRetention?: Duration;

  /**
   * How long the dead-letter queue's oldest message may wait before the age alarm fires
   * (1 second up to, not including, `deadLetterRetention`: past it SQS has deleted the message).
   * @default Duration.days(1), or half of `deadLetterRetention` when that is shorter
   */
  readonly deadLetterAgeThreshold?: Duration;

  /**
   * Where the two dead-letter alarms notify, when they fire and when they clear.
   * @default none: the alarms show in CloudWatch but tell no one
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Retention of the function's log group. `INFINITE` is refused: every log group expires.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Name of the alias that the rule invokes and that carries the asynchronous configuration.
   * @default "live"
   */
  readonly aliasName?: string;

  /**
   * Build arguments for the image, e.g. the runtime client version.
   * @default none
   */
  readonly buildArgs?: Record<string, string>;

  /**
   * Environment variables of the function.
   * @default none
   */
  readonly environment?: Record<string, string>;
}

/** Events of a bus that trigger a service, besides those whose `source` is its id. */
export interface ServiceSubscription {
  /** The bus the rule is on. */
  readonly eventBus: events.IEventBus;
  /** The rule's event pattern. */
  readonly eventPattern: events.EventPattern;
  /** Shown on the rule. @default the pattern, in words */
  readonly description?: string;
}
