import type { LocalModel } from "@ebsvc/cloud-assembly";
import type { LocalCloud } from "./engine/local-cloud.js";
import { AwsError } from "./protocols/aws-error.js";
import type { JsonObject } from "./protocols/json-input.js";

/** StartReplay's answer, with how many events were replayed (a local addition). */
export interface StartReplayResult {
  ReplayArn: string;
  State: "COMPLETED";
  ReplayStartTime: number;
  ReplayEndTime: number;
  LocalReplayedEventCount: number;
}

/**
 * EventBridge's StartReplay on the local archives: `EventSourceArn` names the archive,
 * `Destination.Arn` its bus, `Destination.FilterArns` optionally the rules to replay to;
 * `EventStartTime`/`EventEndTime` (epoch seconds, as the SDK sends them) bound when the events
 * were archived. Unlike AWS, the replay runs before the answer, which says COMPLETED and how
 * many events it replayed.
 */
export function startReplay(
  input: JsonObject,
  cloud: LocalCloud,
  model: LocalModel,
): StartReplayResult {
  const name = text(input.ReplayName, "ReplayName");
  const archiveArn = text(input.EventSourceArn, "EventSourceArn");
  const archive = model.archives.find((a) => a.arn === archiveArn || a.name === archiveArn);
  if (!archive)
    throw new AwsError("ResourceNotFoundException", `Archive ${archiveArn} does not exist.`, 400);
  const destination = (input.Destination ?? {}) as { Arn?: unknown; FilterArns?: unknown };
  const busArn = text(destination.Arn, "Destination.Arn");
  const bus = cloud.findBus(busArn);
  if (!bus || bus.name !== archive.busName) {
    throw new AwsError(
      "ValidationException",
      `Parameter Destination.Arn is not valid. Reason: the events of archive ${archive.name} can only be replayed to its bus ${archive.busName}.`,
      400,
    );
  }
  const filters = Array.isArray(destination.FilterArns) ? destination.FilterArns : [];
  const rules = filters.map((arn) => {
    const rule = model.rules.find((r) => r.arn === arn && r.busName === bus.name);
    if (!rule)
      throw new AwsError(
        "ResourceNotFoundException",
        `Rule ${String(arn)} does not exist on event bus ${bus.name}.`,
        400,
      );
    return rule.name;
  });
  const from = seconds(input.EventStartTime, "EventStartTime") ?? 0;
  const to = seconds(input.EventEndTime, "EventEndTime") ?? Date.now();
  if (to <= from) {
    throw new AwsError(
      "ValidationException",
      "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.",
      400,
    );
  }
  const started = Date.now();
  let replayed = 0;
  for (const rule of rules.length > 0 ? rules : [undefined]) {
    replayed += cloud.replay({
      name,
      bus: bus.name,
      archive: archive.name,
      from,
      to,
      ...(rule && { rule }),
    });
  }
  return {
    ReplayArn: `arn:aws:events:${model.place.region}:${model.place.account}:replay/${name}`,
    State: "COMPLETED",
    ReplayStartTime: started / 1000,
    ReplayEndTime: Date.now() / 1000,
    LocalReplayedEventCount: replayed,
  };
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
      400,
    );
  }
  return value;
}

/** Epoch seconds (the SDK's timestamps) as milliseconds. */
function seconds(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new AwsError(
      "ValidationException",
      `Parameter ${field} is not valid: expected a timestamp.`,
      400,
    );
  }
  return value * 1000;
}
