import { createHash } from "node:crypto";

/**
 * The name CloudFormation would generate for a resource without an explicit name:
 * `<stack>-<logical id>-<suffix>`, within the service's length limit. The suffix is a hash
 * instead of CloudFormation's random string, so names are the same on every run.
 */
export function generatedName(stackName: string, logicalId: string, maxLength: number): string {
  const suffix = createHash("sha256")
    .update(`${stackName}/${logicalId}`)
    .digest("base64url")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, 12)
    .toUpperCase();
  const room = maxLength - suffix.length - 2;
  const stackPart = stackName.slice(0, Math.ceil(room / 2));
  const logicalPart = logicalId.slice(0, room - stackPart.length);
  return `${stackPart}-${logicalPart}-${suffix}`;
}

/** Longest generated names per service, as AWS allows them. */
export const NAME_LIMITS = {
  function: 64,
  queue: 80,
  rule: 64,
  archive: 48,
  topic: 256,
  logGroup: 512,
  role: 64,
  stack: 128,
} as const;
