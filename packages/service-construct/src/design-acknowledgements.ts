import { Validations } from "aws-cdk-lib";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type { Construct } from "constructs";

/** The parts of a service the acknowledgements are about. */
export interface AcknowledgedParts {
  readonly deadLetterQueue: Construct;
  readonly function: lambda.Function;
}

/**
 * Findings of cdk-nag's AwsSolutions and Serverless packs that this design answers on
 * purpose, each on the resource it is about and with its reason, so a check of an app
 * reports only what is really wrong.
 */
export function acknowledgeByDesign(service: AcknowledgedParts, writesTraces: boolean): void {
  // aws-cdk-lib records a call stack with every acknowledgement, whatever
  // aws:cdk:disable-stack-trace says; its absolute paths would make the synthesized assembly
  // differ from one checkout to the next. An empty stack keeps the output deterministic.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    acknowledge(service, writesTraces);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function acknowledge(service: AcknowledgedParts, writesTraces: boolean): void {
  const queue = service.deadLetterQueue.node.defaultChild ?? service.deadLetterQueue;
  Validations.of(queue).acknowledge(
    {
      id: "AwsSolutions::AwsSolutions-SQS3",
      reason: "This queue is the dead-letter queue (rule target DLQ and onFailure destination)",
    },
    {
      id: "Serverless::Serverless-SQSRedrivePolicy",
      reason: "This queue is itself the dead-letter queue; nothing consumes it to redrive",
    },
  );
  const fn = service.function.node.defaultChild ?? service.function;
  Validations.of(fn).acknowledge({
    id: "Serverless::Serverless-LambdaDLQ",
    reason:
      "Failed asynchronous invocations go to the onFailure destination, which replaces a function DLQ",
  });
  const role = service.function.role?.node.defaultChild;
  if (writesTraces && role) {
    const reason =
      "Only the WriteTraces statement has Resource *: X-Ray's PutTraceSegments and PutTelemetryRecords accept no other resource";
    Validations.of(role).acknowledge(
      { id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]", reason },
      { id: "Serverless::Serverless-LambdaStarPermissions", reason },
    );
  }
}
