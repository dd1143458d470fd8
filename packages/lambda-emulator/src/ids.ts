import { randomBytes, randomUUID } from "node:crypto";

/** The account id the RIE puts in every ARN; local runs have no real account. */
const EMULATED_ACCOUNT_ID = "012345678912";

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
  const hex = randomHex(20);
  return `Root=1-${epochSeconds}-${hex.slice(0, 24)};Parent=${hex.slice(24)};Sampled=0`;
}

/** One log stream per execution environment, named as Lambda names them. */
export function newLogStreamName(now = new Date()): string {
  const yyyy = now.getUTCFullYear();
  const mm = String(now.getUTCMonth() + 1).padStart(2, "0");
  const dd = String(now.getUTCDate()).padStart(2, "0");
  return `${yyyy}/${mm}/${dd}/[$LATEST]${randomHex(16)}`;
}

// Random bytes come from a pool, refilled now and then: one syscall per id was measurable.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomHex(bytes: number): string {
  if (poolOffset + bytes > pool.length) {
    randomBytes(pool.length).copy(pool);
    poolOffset = 0;
  }
  poolOffset += bytes;
  return pool.toString("hex", poolOffset - bytes, poolOffset);
}
