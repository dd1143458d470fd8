import { parseArgs } from "node:util";
import { UsageError } from "./cli-error.js";

export interface CommonOptions {
  /** The cloud assembly to run; when absent, the app is synthesized first. */
  readonly assembly?: string;
  readonly json: boolean;
  readonly timeScale: number;
  readonly concurrency: number;
}

export interface StartOptions extends CommonOptions {
  readonly port: number;
  readonly host: string;
  /** Open the console in the desktop's browser (xdg-open). */
  readonly open: boolean;
}

export interface SendOptions extends CommonOptions {
  readonly bus: string;
  readonly source: string;
  readonly detailType: string;
  /** The detail as the user typed it; PutEvents' validation judges it. */
  readonly detail: string;
  readonly resources: string[];
  /** Longest wait, in seconds, for everything the event causes to settle. */
  readonly waitSeconds: number;
}

export const START_USAGE = `usage: pnpm start [-- --port 4010] [--host 127.0.0.1] [--open] [--json] [--time-scale 1] [--concurrency 4] [--assembly apps/infra/cdk.out]`;
export const SEND_USAGE = `usage: pnpm send -- --source <source> --detail-type <type> [--detail '{"k":"v"}'] [--bus default] [--resource <arn>]... [--json] [--time-scale 1] [--wait 900] [--assembly <dir>]`;

const COMMON = {
  assembly: { type: "string" },
  json: { type: "boolean" },
  "time-scale": { type: "string" },
  concurrency: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** pnpm passes a literal `--` before script arguments; it is not an argument. */
function withoutSeparator(args: readonly string[]): string[] {
  return args[0] === "--" ? args.slice(1) : [...args];
}

type FlagSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

function parse(
  args: readonly string[],
  options: FlagSpec,
  usage: string,
): { values: Record<string, unknown> } {
  try {
    return parseArgs({
      args: withoutSeparator(args),
      options,
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]}\n${usage}`);
  }
}

function number(
  flag: string,
  text: string | undefined,
  fallback: number,
  accepts: (value: number) => boolean,
  allowed: string,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !accepts(value)) {
    throw new UsageError(`--${flag} is ${JSON.stringify(text)}; allowed: ${allowed}`);
  }
  return value;
}

function common(values: Record<string, unknown>): CommonOptions {
  return {
    assembly: values.assembly as string | undefined,
    json: values.json === true,
    timeScale: number(
      "time-scale",
      values["time-scale"] as string | undefined,
      1,
      (v) => Number.isFinite(v) && v > 0 && v <= 1,
      "a number above 0 and at most 1 (0.001 makes AWS's one-minute retry wait 60 ms)",
    ),
    concurrency: number(
      "concurrency",
      values.concurrency as string | undefined,
      4,
      (v) => Number.isInteger(v) && v >= 1 && v <= 64,
      "a whole number from 1 to 64",
    ),
  };
}

/** `undefined` means help was asked for. */
export function parseStartArgs(args: readonly string[]): StartOptions | undefined {
  const { values } = parse(
    args,
    { ...COMMON, port: { type: "string" }, host: { type: "string" }, open: { type: "boolean" } },
    START_USAGE,
  );
  if (values.help) return undefined;
  const host = (values.host as string | undefined) ?? "127.0.0.1";
  if (!/^[\w.:-]+$/.test(host)) {
    throw new UsageError(
      `--host is ${JSON.stringify(host)}; allowed: an address such as 127.0.0.1`,
    );
  }
  return {
    ...common(values),
    port: number(
      "port",
      values.port as string | undefined,
      4010,
      (v) => Number.isInteger(v) && v >= 0 && v <= 65_535,
      "a whole number from 0 to 65535 (0 picks a free port)",
    ),
    host,
    open: values.open === true,
  };
}

export function parseSendArgs(args: readonly string[]): SendOptions | undefined {
  const { values } = parse(
    args,
    {
      ...COMMON,
      bus: { type: "string" },
      source: { type: "string" },
      "detail-type": { type: "string" },
      detail: { type: "string" },
      resource: { type: "string", multiple: true },
      wait: { type: "string" },
    },
    SEND_USAGE,
  );
  if (values.help) return undefined;
  for (const required of ["source", "detail-type"] as const) {
    if (values[required] === undefined) {
      throw new UsageError(`--${required} is missing; every event needs one\n${SEND_USAGE}`);
    }
  }
  return {
    ...common(values),
    bus: (values.bus as string | undefined) ?? "default",
    source: values.source as string,
    detailType: values["detail-type"] as string,
    detail: (values.detail as string | undefined) ?? "{}",
    resources: (values.resource as string[] | undefined) ?? [],
    waitSeconds: number(
      "wait",
      values.wait as string | undefined,
      900,
      (v) => Number.isFinite(v) && v > 0,
      "a number of seconds above 0",
    ),
  };
}
