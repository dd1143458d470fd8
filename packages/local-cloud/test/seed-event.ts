/**
 * The success event the seed README shows for backtosource (eventbridge-lambda-construct.md,
 * "Test the services"), with its account, region and ARN placeholders.
 */
export const SEED_SUCCESS_EVENT = {
  version: "0",
  id: "4f37bfa8-44dd-7741-e756-c6f51323b05d",
  "detail-type": "Lambda Function Invocation Result - Success",
  source: "lambda",
  account: "YOUR-ACCOUNT-NUMBER",
  time: "2022-12-21T15:37:14Z",
  region: "YOUR-REGION",
  resources: [
    "arn:aws:events:YOUR-REGION:YOUR-ACCOUNT-NUMBER:event-bus/source_bus",
    "arn:aws:lambda:YOUR-REGION:YOUR-ACCOUNT-NUMBER:function:EventBridgeServicesStack-backtosourcelambda5A5324E-TGjYMQXRlQEU:service_at_1671634563",
  ],
  detail: {
    version: "1.0",
    timestamp: "2022-12-21T15:37:14.621Z",
    requestContext: {
      requestId: "794a02f1-0504-4c56-9dd0-bb6c235c24cf",
      functionArn:
        "arn:aws:lambda:YOUR-REGION:YOUR-ACCOUNT-NUMBER:function:EventBridgeServicesStack-backtosourcelambda5A5324E-TGjYMQXRlQEU:service_at_1671634563",
      condition: "Success",
      approximateInvokeCount: 1,
    },
    requestPayload: {
      version: "0",
      id: "60e07636-af17-4ca4-4d75-7df75930ae25",
      "detail-type": "Details",
      source: "backtosource",
      account: "YOUR-ACCOUNT-NUMBER",
      time: "2022-12-21T15:32:01Z",
      region: "YOUR-REGION",
      resources: [],
      detail: { message: "Hello World" },
    },
    responseContext: { statusCode: 200, executedVersion: "1" },
    responsePayload: { statusCode: 200, reponse: "Hello Lambda" },
  },
};

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The seed's event with ids, times, account, region and ARNs replaced by what they must look
 * like, for a service's result on a bus: everything else must be equal, field by field.
 */
export function normalize(event: unknown, place: { account: string; region: string }): unknown {
  const text = JSON.stringify(event)
    .replaceAll(place.account, "YOUR-ACCOUNT-NUMBER")
    .replaceAll(place.region, "YOUR-REGION");
  const copy = JSON.parse(text);
  const check = (value: string, pattern: RegExp, what: string) => {
    if (!pattern.test(value)) throw new Error(`${what} ${value} does not look like ${pattern}`);
    return `<${what}>`;
  };
  copy.id = check(copy.id, ID, "id");
  copy.time = check(copy.time, TIME, "time");
  copy.detail.timestamp = check(copy.detail.timestamp, TIMESTAMP, "timestamp");
  copy.detail.requestContext.requestId = check(copy.detail.requestContext.requestId, ID, "id");
  copy.detail.requestPayload.id = check(copy.detail.requestPayload.id, ID, "id");
  copy.detail.requestPayload.time = check(copy.detail.requestPayload.time, TIME, "time");
  const functionArn =
    /^arn:aws:lambda:YOUR-REGION:YOUR-ACCOUNT-NUMBER:function:[\w-]{1,64}:[\w-]+$/;
  copy.resources[1] = check(copy.resources[1], functionArn, "function ARN");
  copy.detail.requestContext.functionArn = check(
    copy.detail.requestContext.functionArn,
    functionArn,
    "function ARN",
  );
  return copy;
}
