import { Validations } from "aws-cdk-lib";
import type { ServiceConstruct } from "./service-construct.js";

/**
 * Findings of cdk-nag's AwsSolutions and Serverless packs that this design answers on
 * purpose, each with its reason, so a check of an app reports only what is really wrong.
 */
export function acknowledgeByDesign(service: ServiceConstruct): void {
  // aws-cdk-lib records a call stack with every acknowledgement, whatever
  // aws:cdk:disable-stack-trace says; its absolute paths would make the synthesized assembly
  // differ from one checkout to the next. An empty stack keeps the output deterministic.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    acknowledge(service);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function acknowledge(service: ServiceConstruct): void {
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
  const role = service.function.role;
  if (role) {
    Validations.of(role.node.defaultChild ?? role).acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      reason: "The basic execution policy only lets the function write its own logs",
    });
    const policy = role.node.tryFindChild("DefaultPolicy");
    Validations.of(policy?.node.defaultChild ?? policy ?? role).acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
      reason: "X-Ray's PutTraceSegments and PutTelemetryRecords accept no resource but *",
    });
  }
}
