import { readFileSync, statSync } from "node:fs";
import { type ArnPlace, BUS_NAMES, describeIssues } from "@ebsvc/service-contract";
import { z } from "zod";
import { ConfigError } from "./config-error.js";
import { partitionOf, REGION_NAMES, regionsLike } from "./regions.js";

const ACCOUNT = "expected: the 12-digit AWS account id, as a string";
const BUS = "expected: the name of an existing EventBridge bus";
const TOPIC =
  "expected: the ARN of an SNS topic, arn:<partition>:sns:<region>:<account>:<topic name>";

const regionMessage = (input: unknown) =>
  typeof input === "string"
    ? `expected: an AWS region, one of ${regionsLike(input).join(", ")}`
    : 'expected: an AWS region name such as "eu-west-1", as a string';

const TOPIC_ARN = /^arn:([a-z-]+):sns:([a-z0-9-]+):(\d{12}):[\w-]{1,256}(\.fifo)?$/;

const secretsSchema = z
  .strictObject(
    {
      account: z.string({ error: ACCOUNT }).regex(/^\d{12}$/, { error: ACCOUNT }),
      region: z
        .string({ error: (issue) => regionMessage(issue.input) })
        .refine((name) => REGION_NAMES.has(name), { error: (issue) => regionMessage(issue.input) }),
      existingBuses: z
        .partialRecord(
          z.enum(BUS_NAMES),
          z.string({ error: BUS }).regex(/^[\w.\-/]{1,256}$/, { error: BUS }),
          {
            error: `expected: an object naming existing buses to import, with keys among ${BUS_NAMES.join(", ")}`,
          },
        )
        .optional(),
      alarmTopicArn: z.string({ error: TOPIC }).regex(TOPIC_ARN, { error: TOPIC }).optional(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? "allowed fields: account, region, existingBuses, alarmTopicArn"
          : 'expected: an object such as {"account": "123456789012", "region": "eu-west-1"}',
    },
  )
  .superRefine((secrets, context) => {
    // CloudWatch alarms notify a topic of their own account and region only.
    const topic = secrets.alarmTopicArn?.match(TOPIC_ARN);
    const ownPartition = partitionOf(secrets.region);
    // Compared only against a valid account and region: a wrong one is reported already.
    if (!topic || !ownPartition || !/^\d{12}$/.test(secrets.account)) return;
    const [, partition, region, account] = topic;
    const expected = `arn:${ownPartition}:sns:${secrets.region}:${secrets.account}:`;
    if (`arn:${partition}:sns:${region}:${account}:` !== expected) {
      context.addIssue({
        code: "custom",
        path: ["alarmTopicArn"],
        input: secrets.alarmTopicArn,
        message: `expected: a topic in the account and region of this file, ${expected}<topic name> (alarms notify topics of their own account and region only)`,
      });
    }
  });

export type Secrets = z.infer<typeof secretsSchema>;

export const SECRETS_HOW_TO =
  'create it from the example: cp secrets.json.example secrets.json, then set your 12-digit account id and region, e.g. {"account": "123456789012", "region": "eu-west-1"}';

/** Where the app deploys to, for the ARNs its resources will have. */
export function arnPlaceOf(secrets: Secrets): ArnPlace {
  const partition = partitionOf(secrets.region) ?? "aws";
  return { partition, region: secrets.region, account: secrets.account };
}

/**
 * Reads the deployment target from secrets.json. Without the file the app still synthesizes,
 * as an environment-agnostic stack; `undefined` says so.
 */
export function loadSecrets(path: string): Secrets | undefined {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return undefined;
  if (!stat.isFile()) {
    throw new ConfigError(
      `${path}: is a ${stat.isDirectory() ? "directory" : "special file"}, not a file; remove it and ${SECRETS_HOW_TO}`,
    );
  }
  // Some editors (Notepad among them) start a UTF-8 file with a byte-order mark, which
  // JSON.parse refuses; it carries no content.
  const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `${path}: not valid JSON (${(error as Error).message}); ${SECRETS_HOW_TO}`,
    );
  }
  const parsed = secretsSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new ConfigError(describeIssues(path, "", parsed.error.issues));
  return parsed.data;
}
