import { randomBytes, randomUUID } from "node:crypto";

/** The account id the RIE puts in every ARN; local runs have no real account. */
export const EMULATED_ACCOUNT_ID = "012345678912";

export function newRequestId(): string {
  return randomUUID();
}

export function functionArn(region: string, functionName: string): string {
  return `arn:aws:lambda:${region}:${EMULATED_ACCOUNT_ID}:function:${functionName}`;
}

/** An X-Ray trace header in the format Lambda passes to the runtime (never sampled locally). */
export function newTraceId(now = Date.now()): string {
  const epochSeconds = Math.floor(now / 1000)
    .toString(16)
    .padStart(8, "0");
  const root = `1-${epochSeconds}-${randomBytes(12).toString("hex")}`;
  return `Root=${root};Parent=${randomBytes(8).toString("hex")};Sampled=0`;
}

/** One log stream per execution environment, named as Lambda names them. */
export function newLogStreamName(now = new Date()): string {
  const yyyy = now.getUTCFullYear();
  const mm = String(now.getUTCMonth() + 1).padStart(2, "0");
  const dd = String(now.getUTCDate()).padStart(2, "0");
  return `${yyyy}/${mm}/${dd}/[$LATEST]${randomBytes(16).toString("hex")}`;
}
