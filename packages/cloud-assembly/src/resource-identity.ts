import { arns, eventBusNameOf, functionArnOf, lambdaFunctionName, type Place } from "./arns.js";
import { generatedName, NAME_LIMITS } from "./physical-names.js";
import type { CfnResource } from "./template.js";

/** What `Ref` and `Fn::GetAtt` give for a resource, as CloudFormation documents per type. */
export interface ResourceIdentity {
  readonly ref: unknown;
  readonly attributes: Record<string, unknown>;
}

export interface IdentityContext {
  readonly place: Place;
  readonly stackName: string;
  readonly logicalId: string;
  readonly resource: CfnResource;
  /** A property of the resource, with intrinsics resolved. */
  property(name: string): unknown;
  /** For a Lambda version: its number among the function's versions, from "1". */
  versionNumber(): string;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : undefined;

/** The physical identity of a resource: explicit names win, others are generated. */
export function resourceIdentity(ctx: IdentityContext): ResourceIdentity {
  const { place, stackName, logicalId } = ctx;
  const named = (prop: string, limit: number) =>
    text(ctx.property(prop)) ?? generatedName(stackName, logicalId, limit);

  switch (ctx.resource.Type) {
    case "AWS::Events::EventBus": {
      const name = named("Name", NAME_LIMITS.rule);
      const arn = arns.eventBus(place, name);
      return { ref: name, attributes: { Arn: arn, Name: name } };
    }
    case "AWS::Events::Rule": {
      const name = named("Name", NAME_LIMITS.rule);
      const bus = busNameOf(ctx.property("EventBusName"));
      const arn = arns.rule(place, bus, name);
      return { ref: bus === "default" ? name : `${bus}|${name}`, attributes: { Arn: arn } };
    }
    case "AWS::Events::Archive": {
      const name = named("ArchiveName", NAME_LIMITS.archive);
      return { ref: name, attributes: { Arn: arns.archive(place, name) } };
    }
    case "AWS::Lambda::Function": {
      const name = named("FunctionName", NAME_LIMITS.function);
      return { ref: name, attributes: { Arn: arns.function(place, name) } };
    }
    case "AWS::Lambda::Version": {
      const version = ctx.versionNumber();
      const arn = `${unqualifiedArnOf(place, ctx.property("FunctionName"))}:${version}`;
      return { ref: arn, attributes: { Version: version, FunctionArn: arn } };
    }
    case "AWS::Lambda::Alias": {
      const arn = `${unqualifiedArnOf(place, ctx.property("FunctionName"))}:${text(ctx.property("Name"))}`;
      return { ref: arn, attributes: { AliasArn: arn } };
    }
    case "AWS::SQS::Queue": {
      const fifo = ctx.property("FifoQueue") === true;
      const base = text(ctx.property("QueueName"));
      const name = base ?? generatedName(stackName, logicalId, NAME_LIMITS.queue - (fifo ? 5 : 0));
      const fullName = fifo && !name.endsWith(".fifo") ? `${name}.fifo` : name;
      const url = arns.queueUrl(place, fullName);
      return {
        ref: url,
        attributes: { Arn: arns.queue(place, fullName), QueueName: fullName, QueueUrl: url },
      };
    }
    case "AWS::SNS::Topic": {
      const name = named("TopicName", NAME_LIMITS.topic);
      const arn = arns.topic(place, name);
      return { ref: arn, attributes: { TopicArn: arn, TopicName: name } };
    }
    case "AWS::Logs::LogGroup": {
      const name = text(ctx.property("LogGroupName")) ?? `/aws/local/${logicalId}`;
      return { ref: name, attributes: { Arn: arns.logGroup(place, name) } };
    }
    case "AWS::IAM::Role": {
      const name = named("RoleName", NAME_LIMITS.role);
      return { ref: name, attributes: { Arn: arns.role(place, name), RoleId: `AROA${logicalId}` } };
    }
    default:
      // Types the local environment does not run still resolve, to a stable placeholder.
      return { ref: generatedName(stackName, logicalId, 128), attributes: {} };
  }
}

/** `EventBusName` may hold a name or an ARN; absent means the account's default bus. */
export function busNameOf(value: unknown): string {
  const name = text(value);
  if (name === undefined) return "default";
  return eventBusNameOf(name) ?? name;
}

/** `FunctionName` may hold a name, a partial or a full ARN; this gives the unqualified ARN. */
function unqualifiedArnOf(place: Place, value: unknown): string {
  const name = text(value) ?? "";
  return functionArnOf(name) ?? arns.function(place, lambdaFunctionName(name));
}
