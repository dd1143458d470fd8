/** A queue's configurable attributes, with SQS's defaults and ranges (seconds and bytes). */
export interface QueueSettings {
  retentionSeconds: number;
  visibilityTimeoutSeconds: number;
  delaySeconds: number;
  receiveMessageWaitTimeSeconds: number;
  maximumMessageSizeBytes: number;
}

interface Range {
  attribute: string;
  min: number;
  max: number;
  default: number;
}

export const SETTING_RANGES: Record<keyof QueueSettings, Range> = {
  // 4 days by default, at most 14 (the project's DLQs keep 14 days).
  retentionSeconds: {
    attribute: "MessageRetentionPeriod",
    min: 60,
    max: 1_209_600,
    default: 345_600,
  },
  visibilityTimeoutSeconds: { attribute: "VisibilityTimeout", min: 0, max: 43_200, default: 30 },
  delaySeconds: { attribute: "DelaySeconds", min: 0, max: 900, default: 0 },
  receiveMessageWaitTimeSeconds: {
    attribute: "ReceiveMessageWaitTimeSeconds",
    min: 0,
    max: 20,
    default: 0,
  },
  // SQS's long-standing default; AWS has since allowed up to 1 MiB, which a queue may opt into.
  maximumMessageSizeBytes: {
    attribute: "MaximumMessageSize",
    min: 1_024,
    max: 1_048_576,
    default: 262_144,
  },
};

/** Fills defaults and refuses values SQS would not accept as queue attributes. */
export function resolveSettings(queueName: string, given: Partial<QueueSettings>): QueueSettings {
  const settings = {} as QueueSettings;
  for (const key of Object.keys(SETTING_RANGES) as (keyof QueueSettings)[]) {
    const range = SETTING_RANGES[key];
    const value = given[key] ?? range.default;
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
      throw new Error(
        `queue ${queueName}: ${key} (${range.attribute}) is ${String(value)}; expected an integer from ${range.min} to ${range.max}`,
      );
    }
    settings[key] = value;
  }
  return settings;
}
