import { parseArgs } from "node:util";
import { APP_ASSEMBLY_DIR, serviceIdProblem } from "@ebsvc/service-contract";
import { DEFAULT_LOG_RETENTION, type LogRetention } from "../state/event-log.js";
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
  /** The state database; default .local-cloud/<app>.sqlite in the repo. */
  readonly stateFile?: string;
  /** Start from an empty state (the file is deleted first). */
  readonly fresh: boolean;
  /** On SIGTERM/SIGINT, how long running invocations may finish. */
  readonly graceSeconds: number;
  readonly logRetention: LogRetention;
  /** Re-bundle on saves under services/<id>/src, re-synthesize on service changes. */
  readonly watch: boolean;
  /** `--inspect <service>[=port]`: that service's runtime under Node's inspector. */
  readonly inspect?: { readonly serviceId: string; readonly port: number };
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
  /** A running environment (`pnpm start`) to send to, instead of finding one or starting one. */
  readonly endpoint?: string;
}

export const START_USAGE = `usage: pnpm start [-- --port 4010] [--host 127.0.0.1] [--json] [--time-scale 1] [--concurrency 4] [--assembly ${APP_ASSEMBLY_DIR}] [--state .local-cloud/<app>.sqlite] [--fresh] [--grace 5] [--log-retention 1d,100000] [--inspect <service>[=9229]] [--no-watch] [--open]`;
/** Node's own default inspector port. */
const DEFAULT_INSPECT_PORT = 9229;

export const SEND_USAGE = `usage: pnpm send -- --source <source> --detail-type <type> [--detail '{"k":"v"}'] [--bus default] [--resource <arn>]... [--json] [--time-scale 1] [--wait 900] [--assembly <dir>] [--endpoint http://127.0.0.1:4010]`;

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
      allowNegative: true,
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
    {
      ...COMMON,
      port: { type: "string" },
      host: { type: "string" },
      state: { type: "string" },
      fresh: { type: "boolean" },
      grace: { type: "string" },
      "log-retention": { type: "string" },
      watch: { type: "boolean" },
      inspect: { type: "string" },
      open: { type: "boolean" },
    },
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
    stateFile: values.state as string | undefined,
    fresh: values.fresh === true,
    graceSeconds: number(
      "grace",
      values.grace as string | undefined,
      5,
      (v) => Number.isFinite(v) && v >= 0 && v <= 3600,
      "a number of seconds from 0 to 3600",
    ),
    logRetention: parseLogRetention(values["log-retention"] as string | undefined),
    watch: values.watch !== false,
    inspect: inspectTarget(values.inspect as string | undefined),
    open: values.open === true,
  };
}

/** `--inspect backtosource` or `--inspect backtosource=9230`. */
function inspectTarget(text: string | undefined): StartOptions["inspect"] {
  if (text === undefined) return undefined;
  const match = /^([^=]*)(?:=(\d+))?$/.exec(text);
  const serviceId = match?.[1] ?? "";
  const port = Number(match?.[2] ?? DEFAULT_INSPECT_PORT);
  if (serviceIdProblem(serviceId) !== undefined || port > 65_535) {
    throw new UsageError(
      `--inspect is ${JSON.stringify(text)}; allowed: a service id, optionally =port (e.g. backtosource or backtosource=9230; the port defaults to 9229)`,
    );
  }
  return { serviceId, port };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration such as `90s`, `10m`, `12h`, `1d`; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_SECONDS[match[2] ?? "s"] ?? 1);
}

/** `--log-retention`: a duration, a number of entries, or both (`12h,50000`). */
function parseLogRetention(text: string | undefined): LogRetention {
  if (text === undefined) return DEFAULT_LOG_RETENTION;
  let retention = { ...DEFAULT_LOG_RETENTION };
  for (const part of text.split(",")) {
    const seconds = parseDuration(part);
    const entries = /^\d+$/.test(part.trim()) ? Number(part) : undefined;
    if (seconds !== undefined && seconds > 0) retention = { ...retention, maxAgeSeconds: seconds };
    else if (entries !== undefined && entries > 0)
      retention = { ...retention, maxEntries: entries };
    else {
      throw new UsageError(
        `--log-retention is ${JSON.stringify(text)}; allowed: a duration (30m, 12h, 1d), a number of entries (50000), or both (12h,50000)`,
      );
    }
  }
  return retention;
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
      endpoint: { type: "string" },
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
    endpoint: endpointUrl(values.endpoint as string | undefined),
  };
}

function endpointUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw new UsageError(
      `--endpoint is ${JSON.stringify(text)}; allowed: the URL pnpm start prints, e.g. http://127.0.0.1:4010`,
    );
  }
  return text.replace(/\/+$/, "");
}
