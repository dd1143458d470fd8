import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ExpectedResult, type IApiCall, IntegTest, Match } from "@aws-cdk/integ-tests-alpha";
import { createApp, STACK_NAME } from "@ebsvc/infra";
import {
  type BusName,
  OUTPUT_BUS,
  RESULT_SOURCE,
  SOURCE_BUS,
  SUCCESS_DETAIL_TYPE,
} from "@ebsvc/service-contract";
import {
  Annotations,
  type App,
  Duration,
  RemovalPolicy,
  Stack,
  Tags,
  Token,
  Validations,
} from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** The stack tag that marks a deployment as this test's (the runner, run.ts, checks it before deploying). */
export const INTEG_TAG = { key: "ebsvc:integ-test", value: "choreography" } as const;

/** The assertion stack, in the same environment as the stacks under test. */
export const ASSERTION_STACK_NAME = `${STACK_NAME}IntegAssertions`;

/** What every service result event looks like (Lambda's asynchronous success destination). */
const SUCCESS_PATTERN = {
  source: [RESULT_SOURCE],
  detailType: [SUCCESS_DETAIL_TYPE],
} as const;

/** The seed's test event ("Test the services"), sent with the service id as `source`. */
const SEED_DETAIL_TYPE = "Details";
export const SEED_DETAIL = { message: "Hello World" } as const;
/** What the seed's services answer. */
export const SEED_RESPONSE = { statusCode: 200, reponse: "Hello Lambda" } as const;

/**
 * A path through the choreography, and the bus its last success result lands on: the seed's
 * event is sent with `source` the first service; each next service follows the success
 * results of the one before (its `resultsOf` subscription). The probe awaits the last
 * service's success result for that event.
 */
export interface Probe {
  readonly services: readonly [string, ...string[]];
  readonly resultBus: BusName;
}

/**
 * backtosource answers on the bus it listens on, toanother on output_bus; toanother follows
 * backtosource's results and chained follows toanother's, so the event sent to backtosource
 * also ends in chained's result on output_bus.
 */
export const PROBES: readonly Probe[] = [
  { services: ["backtosource"], resultBus: SOURCE_BUS },
  { services: ["toanother"], resultBus: OUTPUT_BUS },
  { services: ["backtosource", "toanother", "chained"], resultBus: OUTPUT_BUS },
];

/** The service the probe sends the seed's event to. */
export function sourceOf(probe: Probe): string {
  return probe.services[0];
}

/** The service whose success result the probe awaits. */
export function serviceOf(probe: Probe): string {
  return probe.services[probe.services.length - 1] as string;
}

/** The probe's name, and its construct id: its services, e.g. "backtosource-toanother-chained". */
export function probeName(probe: Probe): string {
  return probe.services.join("-");
}

/**
 * Where the message of a chain's result is checked: one leaf, so that the custom resource's
 * response stays under CloudFormation's 4096 bytes (the record of a result nests the records
 * before it: the message of chained's alone, with a 1 KB receipt handle, is about 4.3 KB).
 */
export const CHAIN_ASSERTED_PATH = "Messages.0.Body.detail.requestContext.functionArn";

export interface ChoreographyTestOptions {
  /** The repository root: where secrets.json and services/ are. */
  readonly repoRoot: string;
  /** Where to write the cloud assembly. @default what the CDK CLI says (CDK_OUTDIR) */
  readonly outdir?: string;
  /**
   * Context for the app, under any the CDK CLI passes. @default the context of
   * apps/infra/cdk.json, so the stacks under test are synthesized as `pnpm synth` does it
   */
  readonly context?: Record<string, unknown>;
}

/** A probe's test rule and queue, in the shard stack of the service it awaits. */
interface ProbeResources {
  readonly probe: Probe;
  readonly stack: Stack;
  readonly rule: events.Rule;
  readonly queue: sqs.Queue;
}

export interface ChoreographyTest {
  readonly app: App;
  /** The real app's bus stack (STACK_NAME): source_bus and output_bus. */
  readonly stack: Stack;
  /** Every stack of the real app, all under test: the bus stack first, then the shard stacks. */
  readonly stacks: readonly Stack[];
  readonly assertionStack: Stack;
  readonly integ: IntegTest;
  /** The alias ARN of each probed service, by service id. */
  readonly aliasArns: Readonly<Record<string, string>>;
  /** One test rule and queue per probe, in the order of PROBES. */
  readonly probes: readonly ProbeResources[];
}

/**
 * The integration test: the real app (createApp: the bus stack and the shard stacks of every
 * service), plus, for each probe, a test rule matching only the awaited service's success
 * results for the probe's event, into an SQS queue of its own (in that service's shard
 * stack). The assertions send the seed's event to source_bus for each probe and wait until
 * the awaited success result, with the seed's response, arrives in the probe's queue.
 */
export function buildChoreographyTest(options: ChoreographyTestOptions): ChoreographyTest {
  const app = withContext(options.context ?? infraContext(options.repoRoot), () =>
    createApp({
      repoRoot: options.repoRoot,
      outdir: options.outdir,
      onEnvironmentAgnostic: () => {},
    }),
  );
  // The bus stack and every shard stack of services: all of them are under test.
  const appStacks = app.node.children.filter((child): child is Stack => Stack.isStack(child));
  const stack = app.node.findChild(STACK_NAME) as Stack;
  for (const underTest of appStacks) Tags.of(underTest).add(INTEG_TAG.key, INTEG_TAG.value);

  const services = new Set(PROBES.flatMap((probe) => probe.services));
  const found = Object.fromEntries([...services].map((id) => [id, serviceAlias(appStacks, id)]));
  const aliasArns = Object.fromEntries(
    Object.entries(found).map(([id, { aliasArn }]) => [id, aliasArn]),
  );
  const probes = PROBES.map((probe) =>
    addProbe(
      found[serviceOf(probe)]?.stack as Stack,
      probe,
      busOf(stack, probe.resultBus),
      aliasArns,
    ),
  );

  // Same environment as the stacks under test: a stack pinned by secrets.json can only be
  // referenced (queue URLs, bus names, alias ARNs) from a stack of the same account and region.
  const assertionStack = new Stack(app, ASSERTION_STACK_NAME, {
    description: "Integration test assertions: sends the seed's event, awaits the results",
    env: Token.isUnresolved(stack.region)
      ? undefined
      : { account: stack.account, region: stack.region },
  });
  // Its imports (queue URLs, the bus name, alias ARNs) are strong references, which is what it
  // needs: the stacks under test keep their exports until the assertion stack is destroyed,
  // first.
  Annotations.of(assertionStack).acknowledgeWarning(
    "@aws-cdk/core:crossStackReferencesDefaultStrong",
    "the assertion stack is destroyed before the stacks under test",
  );
  const integ = new IntegTest(app, "ChoreographyInteg", {
    testCases: appStacks,
    assertionStack,
    diffAssets: false,
    stackUpdateWorkflow: false,
  });

  let previous: IApiCall | undefined;
  for (const { probe, queue } of probes) {
    const send = integ.assertions.awsApiCall("EventBridge", "putEvents", {
      Entries: [
        {
          EventBusName: busOf(stack, SOURCE_BUS).eventBusName,
          Source: sourceOf(probe),
          DetailType: SEED_DETAIL_TYPE,
          Detail: JSON.stringify(SEED_DETAIL),
        },
      ],
    });
    // PutEvents answers 200 even when it rejects an entry: check none was.
    send.expect(ExpectedResult.objectLike({ FailedEntryCount: 0 }));

    const call = integ.assertions.awsApiCall("SQS", "receiveMessage", {
      QueueUrl: queue.queueUrl,
      WaitTimeSeconds: 20,
      // One message: the custom resource returns the response to CloudFormation, which
      // takes 4096 bytes at most; one result record of the seed's event makes it about
      // 2.9 KB, two too many. Every message in the queue is one the probe awaits (its rule
      // matches nothing else), so whichever arrives first will do.
      MaxNumberOfMessages: 1,
    });
    const aliasArn = aliasArns[serviceOf(probe)] as string;
    const receive = (
      probe.services.length === 1
        ? call.expect(
            ExpectedResult.objectLike({
              Messages: Match.arrayWith([resultMessage(probe, aliasArn)]),
            }),
          )
        : // A chain's record is too large to return whole: its rule checked every link, the
          // assertion checks whose result it is.
          call.assertAtPath(CHAIN_ASSERTED_PATH, exactly(aliasArn))
    )
      // A state machine retries the call until it matches: 10 tries 30 s apart (each a 20 s
      // long poll), about 8 minutes at worst; a result usually arrives within seconds.
      .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(30) });

    if (previous) previous.next(send);
    send.next(receive);
    previous = receive;
  }

  return { app, stack, stacks: appStacks, assertionStack, integ, aliasArns, probes };
}

/**
 * The probe's test rule, on the bus the awaited result lands on, and its queue. The rule
 * matches only the awaited service's success results (its alias in `resources`) for the
 * probe's event: each link of the chain by its alias, down to the seed's event with `source`
 * the first service. So the queue holds nothing else (not toanother's results of backtosource's
 * results, nor chained's of toanother's), whatever order results arrive in.
 */
function addProbe(
  stack: Stack,
  probe: Probe,
  bus: events.IEventBus,
  aliasArns: Readonly<Record<string, string>>,
): ProbeResources {
  const probes =
    (stack.node.tryFindChild("IntegProbes") as Construct | undefined) ??
    new Construct(stack, "IntegProbes");
  const scope = new Construct(probes, probeName(probe));
  const queue = new sqs.Queue(scope, "Queue", {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.hours(1),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const rule = new events.Rule(scope, "Rule", {
    description: `Integration test: ${describeProbe(probe)}, on ${probe.resultBus}, into a queue`,
    eventBus: bus,
    eventPattern: resultPattern(probe.services, aliasArns),
    targets: [new targets.SqsQueue(queue)],
  });
  acknowledgeTestResources(queue, rule);
  return { probe, stack, rule, queue };
}

/** "chained's success results for the seed's event sent to backtosource, via toanother". */
function describeProbe(probe: Probe): string {
  const via = probe.services.slice(1, -1);
  return `${serviceOf(probe)}'s success results for the seed's event sent to ${sourceOf(probe)}${via.length > 0 ? `, via ${via.join(", ")}` : ""}`;
}

/**
 * The event pattern of the last service's success results for the seed's event sent to the
 * first: its alias in `resources`, and as `requestPayload` the result of the service before
 * it, matched the same way, down to the seed's event itself. `detailType` is spelled the CDK
 * way at the top (events.EventPattern); nested fields are passed through as written.
 */
function resultPattern(
  services: readonly string[],
  aliasArns: Readonly<Record<string, string>>,
): events.EventPattern {
  const service = services[services.length - 1] as string;
  const before = services.slice(0, -1);
  const aliasArn = aliasArns[service];
  if (aliasArn === undefined) throw new Error(`no alias ARN for service ${service}`);
  let requestPayload: Record<string, unknown>;
  if (before.length === 0) {
    requestPayload = { source: [service], "detail-type": [SEED_DETAIL_TYPE] };
  } else {
    const { detailType, ...upstream } = resultPattern(before, aliasArns);
    requestPayload = { ...upstream, "detail-type": detailType };
  }
  return {
    source: [...SUCCESS_PATTERN.source],
    detailType: [...SUCCESS_PATTERN.detailType],
    resources: [aliasArn],
    detail: { requestPayload },
  };
}

/**
 * An SQS message whose body is the success record of the seed's event sent to the probed
 * service: that service's (its alias invoked), with the seed's "Test the services" event as
 * `requestPayload`, matched on what identifies it, and the seed's response.
 */
function resultMessage(probe: Probe, aliasArn: string): Record<string, unknown> {
  return Match.objectLike({
    Body: Match.serializedJson(
      Match.objectLike({
        source: SUCCESS_PATTERN.source[0],
        "detail-type": SUCCESS_PATTERN.detailType[0],
        detail: {
          requestContext: { functionArn: aliasArn, condition: "Success" },
          requestPayload: {
            source: sourceOf(probe),
            "detail-type": SEED_DETAIL_TYPE,
            detail: SEED_DETAIL,
          },
          responsePayload: SEED_RESPONSE,
        },
      }),
    ),
  });
}

/**
 * An expected result equal to `value`. Not ExpectedResult.exact: it sends `{"$Exact": value}`,
 * which the handler of integ-tests-alpha 2.245 does not decode and so compares with the actual
 * value as it is (never equal); a value without a matcher key is what it compares exactly.
 */
function exactly(value: string): ExpectedResult {
  return { result: JSON.stringify(value) };
}

/** The context of the real app's cdk.json (feature flags), or none. */
export function infraContext(repoRoot: string): Record<string, unknown> {
  const path = join(repoRoot, "apps", "infra", "cdk.json");
  if (!existsSync(path)) return {};
  return (
    (JSON.parse(readFileSync(path, "utf8")) as { context?: Record<string, unknown> }).context ?? {}
  );
}

/**
 * Runs `make` with `context` added under the context the CDK CLI passes in CDK_CONTEXT_JSON
 * (which wins): createApp makes its App at once, and an App reads its context from there.
 */
function withContext<T>(context: Record<string, unknown>, make: () => T): T {
  const saved = process.env.CDK_CONTEXT_JSON;
  const fromCli = saved === undefined ? {} : (JSON.parse(saved) as Record<string, unknown>);
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...context, ...fromCli });
  try {
    return make();
  } finally {
    if (saved === undefined) delete process.env.CDK_CONTEXT_JSON;
    else process.env.CDK_CONTEXT_JSON = saved;
  }
}

/** A bus of the stack, from its public `buses` (created, or imported through secrets.json). */
function busOf(stack: Stack, name: BusName): events.IEventBus {
  const { buses } = stack as Stack & { buses?: Partial<Record<BusName, events.IEventBus>> };
  const bus = buses?.[name];
  if (bus === undefined) {
    throw new Error(`${stack.node.path} has no bus ${name} in its "buses": has the app changed?`);
  }
  return bus;
}

/**
 * A service's alias ARN, and the stack that holds the service: a shard stack's public
 * `services` (service id to its nested stack, whose `service` is the ServiceConstruct).
 * @ebsvc/infra exports neither class, so the stacks are read by shape, as `buses` is.
 */
function serviceAlias(stacks: readonly Stack[], id: string): { stack: Stack; aliasArn: string } {
  const found = stacks.flatMap((stack) => {
    const { services } = stack as Stack & {
      services?: Record<string, { service?: { alias?: lambda.IAlias } }>;
    };
    const alias = services?.[id]?.service?.alias;
    return alias === undefined ? [] : [{ stack, aliasArn: alias.functionArn }];
  });
  if (found.length !== 1) {
    throw new Error(
      `service ${id} is in the "services" of ${found.length} stacks of the app, not one: has the app changed?`,
    );
  }
  return found[0] as { stack: Stack; aliasArn: string };
}

/**
 * The cdk-nag findings the app's checks report on a probe's queue and rule (the CDK CLI's
 * synth stops on them), acknowledged: what they ask for serves long-lived queues and rules.
 */
function acknowledgeTestResources(queue: sqs.Queue, rule: events.Rule): void {
  // aws-cdk-lib records a call stack with every acknowledgement; without one, the assembly
  // holds no absolute paths (as the app's own acknowledgements, in @ebsvc/service-construct).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    Validations.of(queue.node.defaultChild ?? queue).acknowledge(
      {
        id: "AwsSolutions::AwsSolutions-SQS3",
        reason:
          "An integration test's queue: the assertions only read it, nothing processes its messages, so none can fail into a dead-letter queue",
      },
      {
        id: "Serverless::Serverless-SQSRedrivePolicy",
        reason:
          "An integration test's queue: the assertions only read it, nothing processes its messages, so there is nothing to redrive",
      },
    );
    Validations.of(rule.node.defaultChild ?? rule).acknowledge({
      id: "Serverless::Serverless-EventBusDLQ",
      reason:
        "An integration test's rule: a result it fails to deliver fails the assertion waiting for it, which is the report",
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
