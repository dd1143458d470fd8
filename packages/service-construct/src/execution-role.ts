import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

export interface ExecutionRoleProps {
  readonly serviceId: string;
  readonly logGroup: logs.ILogGroup;
  readonly successBus: events.IEventBus;
  readonly deadLetterQueue: sqs.IQueue;
  readonly tracing: lambda.Tracing;
}

/**
 * The function's role, written out statement by statement: its own log group, its own
 * destination bus, its own dead-letter queue, and X-Ray. No managed policy. It is returned
 * immutable so nothing (the function's tracing, the destinations' grants) adds to it: what
 * is listed here is all the function may do.
 */
export function executionRole(scope: Construct, id: string, props: ExecutionRoleProps): iam.IRole {
  const statements = [
    new iam.PolicyStatement({
      sid: "WriteOwnLogGroup",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      // The log group's ARN ends in ":*", which covers its log streams and nothing else.
      resources: [props.logGroup.logGroupArn],
    }),
    new iam.PolicyStatement({
      sid: "PutEventsOnDestinationBus",
      actions: ["events:PutEvents"],
      resources: [props.successBus.eventBusArn],
    }),
    new iam.PolicyStatement({
      sid: "SendToOwnDeadLetterQueue",
      actions: ["sqs:SendMessage"],
      resources: [props.deadLetterQueue.queueArn],
    }),
  ];
  if (props.tracing !== lambda.Tracing.DISABLED) {
    statements.push(
      new iam.PolicyStatement({
        sid: "WriteTraces",
        actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        // X-Ray's API takes no resource-level permissions: "*" is the only resource it accepts.
        resources: ["*"],
      }),
    );
  }
  const role = new iam.Role(scope, id, {
    description: `Execution role of service ${props.serviceId}: its logs, destination bus, dead-letter queue and traces`,
    assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
    inlinePolicies: { Service: new iam.PolicyDocument({ statements }) },
  });
  return role.withoutPolicyUpdates();
}
