/**
 * A service id is its folder name, its package name, its image name and the event `source` its
 * rule matches: lowercase so it is a valid npm package and Docker image name, and no trailing
 * hyphen, which Docker image names (the local runner tags `ebsvc-local/<id>`) refuse.
 */
const SERVICE_ID_PATTERN = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const SERVICE_ID_RULE =
  "1 to 63 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen";

/** Ids the rule allows that would still break the choreography, and why. */
const RESERVED_SERVICE_IDS: Readonly<Record<string, string>> = {
  lambda:
    'result events have source "lambda", so its rule would match the results of every service, its own included',
};

/** Why `id` cannot be a service id: it breaks the rule, or it is reserved (with the reason). */
export type ServiceIdProblem =
  | { readonly kind: "rule" }
  | { readonly kind: "reserved"; readonly why: string };

/** `undefined` when `id` can be a service id. */
export function serviceIdProblem(id: string): ServiceIdProblem | undefined {
  if (!SERVICE_ID_PATTERN.test(id)) return { kind: "rule" };
  const why = Object.hasOwn(RESERVED_SERVICE_IDS, id) ? RESERVED_SERVICE_IDS[id] : undefined;
  return why === undefined ? undefined : { kind: "reserved", why };
}

/** The problem as the end of a sentence about `id`: `must be …` or `is reserved: …`. */
export function describeServiceIdProblem(problem: ServiceIdProblem): string {
  return problem.kind === "rule" ? `must be ${SERVICE_ID_RULE}` : `is reserved: ${problem.why}`;
}
