import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, describeIssues } from "./config-error.js";

/** The buses the stack owns; a deployment may import existing ones under these names instead. */
export const BUS_NAMES = ["source_bus", "output_bus"] as const;
export type BusName = (typeof BUS_NAMES)[number];

const ACCOUNT = "expected: the 12-digit AWS account id, as a string";
const REGION = 'expected: an AWS region name such as "eu-west-1"';
const BUS = "expected: the name of an existing EventBridge bus";

const secretsSchema = z.strictObject(
  {
    account: z.string({ error: ACCOUNT }).regex(/^\d{12}$/, { error: ACCOUNT }),
    region: z
      .string({ error: REGION })
      .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, { error: REGION }),
    existingBuses: z
      .partialRecord(
        z.enum(BUS_NAMES),
        z.string({ error: BUS }).regex(/^[\w.\-/]{1,256}$/, { error: BUS }),
        {
          error: `expected: an object naming existing buses to import, with keys among ${BUS_NAMES.join(", ")}`,
        },
      )
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "allowed fields: account, region, existingBuses"
        : 'expected: an object such as {"account": "123456789012", "region": "eu-west-1"}',
  },
);

export type Secrets = z.infer<typeof secretsSchema>;

export const SECRETS_HOW_TO =
  'create it from the example: cp secrets.json.example secrets.json, then set your 12-digit account id and region, e.g. {"account": "123456789012", "region": "eu-west-1"}';

/**
 * Reads the deployment target from secrets.json. Without the file the app still synthesizes,
 * as an environment-agnostic stack; `undefined` says so.
 */
export function loadSecrets(path: string): Secrets | undefined {
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(
      `${path}: not valid JSON (${(error as Error).message}); ${SECRETS_HOW_TO}`,
    );
  }
  const parsed = secretsSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new ConfigError(describeIssues(path, "", parsed.error.issues));
  return parsed.data;
}
