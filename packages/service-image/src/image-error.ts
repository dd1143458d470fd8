/** A Dockerfile or service folder the local runtimes cannot run: the message names it. */
export class ImageCommandError extends Error {
  override readonly name = "ImageCommandError";
}
