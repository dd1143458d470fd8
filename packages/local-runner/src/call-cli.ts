#!/usr/bin/env node
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { callLocal, functionErrorOf, requestBody } from "./call.js";
import { integerOption } from "./integer-option.js";
import { readServiceFolder } from "./service-folder.js";
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
  const port =
    integerOption("--port", values.port, 65_535) ??
    integerOption("$PORT", process.env.PORT || undefined, 65_535) ??
    9000;
  // The folder only names the service in hints; a wrong one is still a mistake worth saying.
  const serviceId =
    values.service === undefined ? basename(resolve(".")) : readServiceFolder(values.service).id;
  const result = await callLocal(requestBody(positionals[0]), port, serviceId);
  console.log(result.body);
  const functionError = functionErrorOf(result);
  if (functionError) {
    console.error(`call-local: the function failed (${functionError})`);
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
