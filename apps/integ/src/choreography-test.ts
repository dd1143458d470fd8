import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ExpectedResult, type IApiCall, IntegTest, Match } from "@aws-cdk/integ-tests-alpha";
import { createApp, STACK_NAME } from "@ebsvc/infra";
import { Annotations, type App, Duration, RemovalPolicy, Stack, Tags, Token } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** The stack tag that marks a deployment as this test's (run-integ.mjs checks it before deploying). */
export const INTEG_TAG = { key: "ebsvc:integ-test", value: "choreography" } as const;

/** The assertion stack, in the same environment as the stack under test. */
export const ASSERTION_STACK_NAME = `${STACK_NAME}IntegAssertions`;

/** What every service result event looks like (Lambda's asynchronous success destination). */
export const SUCCESS_PATTERN = {
  source: ["lambda"],
  detailType: ["Lambda Function Invocation Result - Success"],
} as const;

/** The seed's test event ("Test the services"), sent with the service id as `source`. */
export const SEED_DETAIL_TYPE = "Details";
export const SEED_DETAIL = { message: "Hello World" } as const;
/** What the seed's services answer. */
export const SEED_RESPONSE = { statusCode: 200, reponse: "Hello Lambda" } as const;

export type BusName = "source_bus" | "output_bus";

/** A service of the seed and the bus its success result lands on. */
export interface Probe {
  readonly service: string;
  readonly resultBus: BusName;
}

/** backtosource answers on the bus it listens on; toanother on output_bus. */
export const PROBES: readonly Probe[] = [
  { service: "backtosource", resultBus: "source_bus" },
  { service: "toanother", resultBus: "output_bus" },
];

export interface ChoreographyTestOptions {
  /** The repository root: where secrets.json and services/ are. */
  readonly repoRoot: string;
  /** Where to write the cloud assembly. @default what the CDK CLI says (CDK_OUTDIR) */
  readonly outdir?: string;
  /**
   * Context for the app, under any the CDK CLI passes. @default the context of
   * apps/infra/cdk.json, so the stack under test is synthesized as `pnpm synth` does it
   */
  readonly context?: Record<string, unknown>;
}

export interface ChoreographyTest {
  readonly app: App;
  /** The real app's stack, with the test rules and queues added. */
  readonly stack: Stack;
  readonly assertionStack: Stack;
  readonly integ: IntegTest;
  /** One queue per bus a probed result lands on, receiving that bus's success results. */
  readonly queues: Readonly<Record<BusName, sqs.Queue>>;
}

/**
 * The integration test: the real app (createApp: both buses and every service), plus a test
 * rule on each result bus matching Lambda success results, into an SQS queue. The assertions
 * send the seed's event to source_bus for each probed service and wait until its success
 * result, with the seed's response, arrives in the queue of the bus it should land on.
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

  const probes = new Construct(stack, "IntegProbes");
  const queues = {} as Record<BusName, sqs.Queue>;
  for (const busName of new Set(PROBES.map((probe) => probe.resultBus))) {
    const id = busName === "source_bus" ? "SourceBusResults" : "OutputBusResults";
    const queue = new sqs.Queue(probes, `${id}Queue`, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.hours(1),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new events.Rule(probes, `${id}Rule`, {
      description: `Integration test: Lambda success results on ${busName}, into a queue`,
      eventBus: busOf(stack, busName),
      eventPattern: {
        source: [...SUCCESS_PATTERN.source],
        detailType: [...SUCCESS_PATTERN.detailType],
      },
      targets: [new targets.SqsQueue(queue)],
    });
    queues[busName] = queue;
  }

  // Same environment as the stack under test: a stack pinned by secrets.json can only be
  // referenced (queue URLs, bus names) from a stack of the same account and region.
  const assertionStack = new Stack(app, ASSERTION_STACK_NAME, {
    description: "Integration test assertions: sends the seed's event, awaits the results",
    env: Token.isUnresolved(stack.region)
      ? undefined
      : { account: stack.account, region: stack.region },
  });
  // Its imports (queue URLs, the bus name) are strong references, which is what it needs: the
  // stack under test keeps its exports until the assertion stack is destroyed, first.
  Annotations.of(assertionStack).acknowledgeWarning(
    "@aws-cdk/core:crossStackReferencesDefaultStrong",
    "the assertion stack is destroyed before the stack under test",
  );
  const integ = new IntegTest(app, "ChoreographyInteg", {
    testCases: appStacks,
    assertionStack,
    diffAssets: false,
    stackUpdateWorkflow: false,
  });

  let previous: IApiCall | undefined;
  for (const probe of PROBES) {
    const send = integ.assertions.awsApiCall("EventBridge", "putEvents", {
      Entries: [
        {
          EventBusName: busOf(stack, "source_bus").eventBusName,
          Source: probe.service,
          DetailType: SEED_DETAIL_TYPE,
          Detail: JSON.stringify(SEED_DETAIL),
        },
      ],
    });
    // PutEvents answers 200 even when it rejects an entry: check none was.
    send.expect(ExpectedResult.objectLike({ FailedEntryCount: 0 }));

    const receive = integ.assertions
      .awsApiCall("SQS", "receiveMessage", {
        QueueUrl: queues[probe.resultBus].queueUrl,
        WaitTimeSeconds: 20,
        // One message: the custom resource returns the response to CloudFormation, which
        // takes 4096 bytes at most; one result record makes it about 2.9 KB, two too many.
        MaxNumberOfMessages: 1,
      })
      .expect(ExpectedResult.objectLike({ Messages: Match.arrayWith([resultMessage(probe)]) }))
      // A state machine retries the call until it matches: 10 tries 30 s apart (each a 20 s
      // long poll), about 8 minutes at worst; a result usually arrives within seconds.
      .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(30) });

    if (previous) previous.next(send);
    send.next(receive);
    previous = receive;
  }

  return { app, stack, assertionStack, integ, queues };
}

/**
 * An SQS message whose body is the success result of the seed's event sent to the probed
 * service: the seed's "Test the services" event, matched on what identifies it.
 */
export function resultMessage(probe: Probe): Record<string, unknown> {
  return Match.objectLike({
    Body: Match.serializedJson(
      Match.objectLike({
        source: SUCCESS_PATTERN.source[0],
        "detail-type": SUCCESS_PATTERN.detailType[0],
        detail: {
          requestContext: { condition: "Success" },
          requestPayload: {
            source: probe.service,
            "detail-type": SEED_DETAIL_TYPE,
            detail: SEED_DETAIL,
          },
          responsePayload: SEED_RESPONSE,
        },
      }),
    ),
  });
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
