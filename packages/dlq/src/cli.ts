#!/usr/bin/env node
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AssemblyError, readModel } from "@ebsvc/cloud-assembly";
import { APP_ASSEMBLY_DIR, WorkspaceRootError, workspaceRoot } from "@ebsvc/service-contract";
import { parseDlqArgs, USAGE, UsageError } from "./cli-args.js";
import type { DeadLetter } from "./dead-letter.js";
import { DeadLetterQueue } from "./dead-letter-queue.js";
import { describeFailure } from "./describe-failure.js";
import { serviceQueue, UnknownServiceError } from "./service-queue.js";

async function main(argv: readonly string[]): Promise<number> {
  const args = parseDlqArgs(argv);
  if (!args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const assembly = resolve(
    args.assembly ?? join(workspaceRoot(dirname(fileURLToPath(import.meta.url))), APP_ASSEMBLY_DIR),
  );
  const model = readModel(assembly);
  if (args.endpoint === undefined && model.environmentAgnostic) {
    throw new UsageError(
      `${assembly} names no account or region, so the queue's URL on AWS is unknown: create secrets.json and run pnpm synth, or pass --endpoint http://127.0.0.1:4010 for the local environment`,
    );
  }
  const target = serviceQueue(model, args.service);
  const region = args.region ?? model.place.region;
  const dlq = DeadLetterQueue.connect(target, { region, endpoint: args.endpoint });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    switch (args.command) {
      case "list": {
        const { letters, heldElsewhere } = await dlq.list();
        if (heldElsewhere > 0) {
          process.stderr.write(
            `dlq: note: ${heldElsewhere} more message(s) in ${target.queue.name} are held by another reader (in flight) and not listed\n`,
          );
        }
        if (args.json) for (const letter of letters) out(JSON.stringify(summary(letter)));
        else {
          out(`${target.queue.name}: ${letters.length} message(s)`);
          for (const letter of letters) {
            out(`${letter.messageId}  ${letter.sentAt ?? ""}  ${letter.kind}: ${letter.reason}`);
          }
        }
        return 0;
      }
      case "show": {
        const { letters } = await dlq.list();
        const letter = letters.find((l) => l.messageId === args.messageIds[0]);
        if (!letter) {
          throw new UsageError(
            `${target.queue.name} has no message ${args.messageIds[0]} (see dlq list ${args.service})`,
          );
        }
        out(
          JSON.stringify(
            { ...summary(letter), body: letter.body, attributes: letter.attributes },
            null,
            args.json ? 0 : 2,
          ),
        );
        return 0;
      }
      case "redrive": {
        const { redriven, kept } = await dlq.redrive(
          args.messageIds.length > 0 ? args.messageIds : undefined,
        );
        const missing = args.messageIds.filter(
          (id) => ![...redriven, ...kept.map((k) => k.letter)].some((l) => l.messageId === id),
        );
        if (args.json) {
          for (const letter of redriven)
            out(JSON.stringify({ redriven: letter.messageId, bus: target.bus.name }));
          for (const { letter, why } of kept) out(JSON.stringify({ kept: letter.messageId, why }));
        } else {
          out(
            `redrove ${redriven.length} event(s) to ${target.bus.name}; ${kept.length} message(s) stay in ${target.queue.name}`,
          );
          for (const { letter, why } of kept) out(`  kept ${letter.messageId}: ${why}`);
        }
        if (missing.length > 0)
          throw new UsageError(`${target.queue.name} has no message ${missing.join(", ")}`);
        return kept.length > 0 ? 1 : 0;
      }
    }
  } catch (error) {
    throw describeFailure(error, args.endpoint, region) ?? error;
  } finally {
    dlq.close();
  }
}

function summary(letter: DeadLetter) {
  return {
    messageId: letter.messageId,
    sentAt: letter.sentAt,
    kind: letter.kind,
    reason: letter.reason,
    event: letter.event,
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    const known =
      error instanceof UsageError ||
      error instanceof UnknownServiceError ||
      error instanceof AssemblyError ||
      error instanceof WorkspaceRootError;
    if (!known) throw error;
    process.stderr.write(`dlq: ${error.message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
