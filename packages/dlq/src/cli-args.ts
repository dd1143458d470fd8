import { parseArgs } from "node:util";
import { APP_ASSEMBLY_DIR } from "@ebsvc/service-contract";

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const USAGE = `usage: pnpm dlq -- list <service> | show <service> <message-id> | redrive <service> [<message-id>...]
  [--endpoint http://127.0.0.1:4010]  the local environment (pnpm start); without it, AWS
  [--region <region>]                 default: the app's region (secrets.json), else $AWS_REGION
  [--assembly <cdk.out folder>]       default: ${APP_ASSEMBLY_DIR} (run pnpm synth first)
  [--json]                            JSON lines instead of text`;

export interface DlqArgs {
  readonly command: "list" | "show" | "redrive";
  readonly service: string;
  readonly messageIds: string[];
  readonly endpoint?: string;
  readonly region?: string;
  readonly assembly?: string;
  readonly json: boolean;
}

/** `undefined` means help was asked for. */
export function parseDlqArgs(argv: readonly string[]): DlqArgs | undefined {
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        endpoint: { type: "string" },
        region: { type: "string" },
        assembly: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  const [command, service, ...messageIds] = positionals;
  if (command !== "list" && command !== "show" && command !== "redrive") {
    throw new UsageError(
      `${command === undefined ? "a command is missing" : `unknown command ${JSON.stringify(command)}`}; expected: list, show or redrive\n${USAGE}`,
    );
  }
  if (service === undefined)
    throw new UsageError(`${command}: the service id is missing\n${USAGE}`);
  if (command === "list" && messageIds.length > 0) {
    throw new UsageError(`list takes one service, not ${JSON.stringify(messageIds)}\n${USAGE}`);
  }
  if (command === "show" && messageIds.length !== 1) {
    throw new UsageError(`show takes one message id (from dlq list ${service})\n${USAGE}`);
  }
  const endpoint = values.endpoint as string | undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(endpoint)) {
    throw new UsageError(
      `--endpoint is ${JSON.stringify(endpoint)}; expected: a base URL such as http://127.0.0.1:4010`,
    );
  }
  const region = values.region as string | undefined;
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw new UsageError(
      `--region is ${JSON.stringify(region)}; expected: a region name such as eu-west-1`,
    );
  }
  return {
    command,
    service,
    messageIds,
    endpoint,
    region,
    assembly: values.assembly as string | undefined,
    json: values.json === true,
  };
}
