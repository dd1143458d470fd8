import type { Place } from "./arns.js";

/** Everything of the synthesized app the local environment runs, with physical names. */
export interface LocalModel {
  readonly place: Place;
  /** True when the app was synthesized without an account and region (`place` is a fallback). */
  readonly environmentAgnostic: boolean;
  readonly buses: BusModel[];
  readonly archives: ArchiveModel[];
  readonly rules: RuleModel[];
  readonly functions: FunctionModel[];
  readonly invokeConfigs: InvokeConfigModel[];
  readonly queues: QueueModel[];
  /** Things the assembly holds that the local environment does not run, in words. */
  readonly warnings: string[];
}

export interface BusModel {
  readonly name: string;
  readonly arn: string;
  /** false for a bus the app imports (and the account's default bus). */
  readonly created: boolean;
}

export interface ArchiveModel {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  /** undefined keeps every event. */
  readonly pattern: unknown;
  readonly retentionDays?: number;
}

export interface RuleModel {
  /** The construct path, e.g. `EventBridgeServicesStack/backtosource/backtosource/Rule`. */
  readonly path: string;
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  /** undefined for a rule that only runs on a schedule. */
  readonly pattern: unknown;
  /** `ScheduleExpression`, as written: `rate(5 minutes)`, `cron(0 12 * * ? *)`. */
  readonly schedule?: string;
  readonly enabled: boolean;
  readonly targets: TargetModel[];
}

export interface TargetModel {
  readonly id: string;
  readonly arn: string;
  /** EventBridge's defaults: 185 retries, 24 hours. */
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  readonly deadLetterArn?: string;
  /** A constant `Input` replaces the event, as AWS does. */
  readonly input?: string;
  /** `InputPath`: the part of the event (a JSONPath) the target gets. */
  readonly inputPath?: string;
  /** `InputTransformer`: variables taken from the event by JSONPath, put into a template. */
  readonly inputTransformer?: InputTransformerModel;
}

export interface InputTransformerModel {
  /** Variable name → JSONPath on the event. */
  readonly inputPathsMap: Record<string, string>;
  /** Text with `<variable>` placeholders. */
  readonly inputTemplate: string;
}

export interface FunctionModel {
  readonly path: string;
  readonly name: string;
  readonly arn: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  /** The service the function was built from, if the ServiceConstruct recorded it. */
  readonly service?: { readonly id: string; readonly directory: string };
  /** Alias name → version number. */
  readonly aliases: Record<string, string>;
}

export interface InvokeConfigModel {
  readonly functionName: string;
  /** An alias, a version or `$LATEST`. */
  readonly qualifier: string;
  /** Lambda's defaults: 2 retries, 6 hours. */
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  readonly onSuccess?: string;
  readonly onFailure?: string;
}

export interface QueueModel {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly retentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  /** Largest message body the queue takes (`MaximumMessageSize`; SQS's default 256 KiB). */
  readonly maximumMessageSizeBytes: number;
}
