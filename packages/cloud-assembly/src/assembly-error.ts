/** The cloud assembly cannot be read or holds something the local environment cannot model. */
export class AssemblyError extends Error {
  override readonly name = "AssemblyError";
}
