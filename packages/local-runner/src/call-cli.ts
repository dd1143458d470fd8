#!/usr/bin/env node
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { callLocal, requestBody } from "./call.js";
import { UsageError } from "./usage-error.js";

const USAGE = `Usage: call-local [--service DIR] [--port 9000] ['<JSON>' | file.json]

POSTs the body (default {"message": "Hello World"}) to the service's local invoke API and
prints the response. Exits 1 on a function error or an HTTP error, 2 when nothing listens.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      service: { type: "string" },
      port: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1)
    throw new UsageError(`one body at most; got ${positionals.length} arguments`);
  const port = Number(values.port ?? process.env.PORT ?? 9000);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new UsageError(
      `--port is ${JSON.stringify(values.port ?? process.env.PORT)}; allowed: an integer from 1 to 65535`,
    );
  }
  const serviceId = basename(resolve(values.service ?? "."));
  const result = await callLocal(requestBody(positionals[0]), port, serviceId);
  console.log(result.body);
  if (result.functionError) {
    console.error(
      `call-local: the function failed (X-Amz-Function-Error: ${result.functionError})`,
    );
    return 1;
  }
  if (result.status >= 300) {
    console.error(`call-local: HTTP ${result.status}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage =
      error instanceof UsageError ||
      (error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS");
    console.error(
      `call-local: ${usage ? (error as Error).message : ((error as Error).stack ?? error)}`,
    );
    process.exit(2);
  },
);
