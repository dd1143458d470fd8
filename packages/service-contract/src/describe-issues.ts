import type { z } from "zod";

/** A field as the user writes it: `service.subscriptions[0].bus`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${String(key)}`,
    )
    .join("");
}

/** One line per problem, each naming the file, the field, the value and what is allowed. */
export function describeIssues(file: string, prefix: string, issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = [prefix, ...issue.path].filter((key) => key !== "");
      if (issue.code === "unrecognized_keys") {
        const fields = issue.keys.map((key) => fieldName([...path, key])).join(", ");
        return `${file}: ${fields}: not a known field; ${issue.message}`;
      }
      const field = fieldName(path) || "the file";
      const input = (issue as { input?: unknown }).input;
      const state = input === undefined ? "is missing" : `is ${JSON.stringify(input)}`;
      return `${file}: ${field} ${state}; ${issue.message}`;
    })
    .join("\n");
}
