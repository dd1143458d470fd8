import { SERVICE_DEFAULTS } from "@ebsvc/service-contract";
import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface DeadLetterAlarmsProps {
  readonly serviceId: string;
  readonly queue: sqs.IQueue;
  /** Retention of the queue, in seconds: the age alarm must fire before it runs out. */
  readonly retentionSeconds: number;
  readonly ageThreshold?: Duration;
  readonly topic?: sns.ITopic;
}

/**
 * The two alarms that tell an operator about failed events: one as soon as a message is in
 * the dead-letter queue, one when the oldest has waited too long. SQS sends no metrics for a
 * queue that has been empty and idle for six hours, so missing data means "nothing failed".
 */
export class DeadLetterAlarms extends Construct {
  /** `ApproximateNumberOfMessagesVisible >= 1`: a failed event is waiting. */
  public readonly messagesVisible: cloudwatch.Alarm;
  /** `ApproximateAgeOfOldestMessage >= threshold`: a failed event has waited too long. */
  public readonly oldestMessageAge: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterAlarmsProps) {
    super(scope, id);
    const { serviceId, queue } = props;
    const threshold =
      props.ageThreshold?.toSeconds() ??
      Math.min(
        SERVICE_DEFAULTS.deadLetterAgeThresholdSeconds,
        Math.floor(props.retentionSeconds / 2),
      );
    // One-minute maxima: SQS publishes these metrics every minute, and the first message
    // should be known within about two.
    const period = Duration.minutes(1);

    this.messagesVisible = new cloudwatch.Alarm(this, "MessagesVisible", {
      alarmDescription: `Service ${serviceId}: failed events are waiting in its dead-letter queue. Read them (each holds the event and the error), fix the cause, then redrive or delete them.`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.oldestMessageAge = new cloudwatch.Alarm(this, "OldestMessageAge", {
      alarmDescription: `Service ${serviceId}: a failed event has waited ${threshold} seconds or more in its dead-letter queue; SQS deletes it after ${props.retentionSeconds} seconds.`,
      metric: queue.metricApproximateAgeOfOldestMessage({
        period,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    if (props.topic) {
      const notify = new actions.SnsAction(props.topic);
      for (const alarm of [this.messagesVisible, this.oldestMessageAge]) {
        alarm.addAlarmAction(notify);
        alarm.addOkAction(notify);
      }
    }
  }
}
