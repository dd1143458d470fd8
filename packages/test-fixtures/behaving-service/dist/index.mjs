// Does what the event's detail says, so tests can drive every outcome Lambda knows:
// {"fail": "why"} throws, {"crash": true} kills the runtime mid-invocation,
// {"sleepMs": n} waits, {"failUntil": n} throws on invocations below n of that event,
// {"failWhileExists": "/path"} throws while that file exists (a fault the test can repair).
import { existsSync } from "node:fs";

const attempts = new Map();

export const handler = async (event) => {
  const detail = event?.detail ?? {};
  if (detail.sleepMs) await new Promise((resolve) => setTimeout(resolve, detail.sleepMs));
  if (detail.crash) process.exit(3);
  if (detail.fail) {
    const error = new Error(String(detail.fail));
    error.name = "BehaviourError";
    throw error;
  }
  if (detail.failWhileExists && existsSync(detail.failWhileExists)) {
    throw new Error(`${detail.failWhileExists} exists`);
  }
  if (detail.failUntil) {
    const seen = (attempts.get(event.id) ?? 0) + 1;
    attempts.set(event.id, seen);
    if (seen < detail.failUntil) throw new Error(`attempt ${seen} fails`);
  }
  return { handled: event.id, detail };
};
