/** A mistake the user can fix (an option, a Dockerfile, a busy port): printed alone, exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
