/**
 * A mistake in the user's configuration (secrets.json, a service's package.json). The app
 * prints its message alone and exits non-zero: a user mistake gets no stack trace.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
