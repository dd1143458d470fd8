import type { BusName } from "./buses.js";
import { type ArnPlace, aliasArnOf } from "./resource-names.js";

/** The `source` of the events Lambda puts on an EventBridge destination. */
export const RESULT_SOURCE = "lambda";

/** Their `detail-type`, after a success and after a failure. */
export const RESULT_DETAIL_TYPES = {
  success: "Lambda Function Invocation Result - Success",
  failure: "Lambda Function Invocation Result - Failure",
} as const;

export const SUCCESS_DETAIL_TYPE = RESULT_DETAIL_TYPES.success;

/**
 * A success result of a service as Lambda puts it on the service's success bus (the shape of
 * an asynchronous invocation record), for checking which patterns match it.
 */
export function sampleSuccessResult(
  serviceId: string,
  successBus: BusName,
  place: ArnPlace = { partition: "aws", region: "us-east-1", account: "123456789012" },
): Record<string, unknown> {
  const { partition, region, account } = place;
  const functionArn = aliasArnOf(place, serviceId);
  return {
    version: "0",
    id: "00000000-0000-0000-0000-000000000000",
    "detail-type": SUCCESS_DETAIL_TYPE,
    source: RESULT_SOURCE,
    account,
    time: "2026-01-01T00:00:00Z",
    region,
    resources: [
      `arn:${partition}:events:${region}:${account}:event-bus/${successBus}`,
      functionArn,
    ],
    detail: {
      version: "1.0",
      timestamp: "2026-01-01T00:00:00.000Z",
      requestContext: {
        requestId: "",
        functionArn,
        condition: "Success",
        approximateInvokeCount: 1,
      },
      requestPayload: {},
      responseContext: { statusCode: 200, executedVersion: "1" },
      responsePayload: {},
    },
  };
}
