// Does what the event's detail says, so tests can drive every outcome Lambda knows:
// {"fail": "why"} throws, {"crash": true} kills the runtime mid-invocation,
// {"sleepMs": n} waits, {"failUntil": n} throws on invocations below n of that event,
// {"failWhileExists": "/path"} throws while that file exists (a fault the test can repair),
// {"padKb": n} adds n KB of padding to the result or the error message,
// {"allocateMb": n} allocates (and touches) n MB before answering.
import { existsSync } from "node:fs";

const attempts = new Map();

export const handler = async (event) => {
  const detail = event?.detail ?? {};
  const pad = detail.padKb ? "x".repeat(detail.padKb * 1024) : undefined;
  const kept = [];
  for (let mb = 0; mb < (detail.allocateMb ?? 0); mb += 8) {
    kept.push(Buffer.alloc(8 * 1024 * 1024).fill(1));
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (detail.sleepMs) await new Promise((resolve) => setTimeout(resolve, detail.sleepMs));
  if (detail.crash) process.exit(3);
  if (detail.fail) {
    const error = new Error(String(detail.fail) + (pad ?? ""));
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
  return { handled: event.id, detail, ...(pad && { pad }), ...(kept.length && { kept: kept.length }) };
};
