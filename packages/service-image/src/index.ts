export { watchAncestors } from "./ancestor-watch.js";
export { type HostCommand, toHostCommand } from "./host-command.js";
export { type ImageCommand, readImageCommand } from "./image-command.js";
export { ImageCommandError } from "./image-error.js";
export { LiveBundle, SAVE_DEBOUNCE_MS } from "./live-bundle.js";
export {
  BundleError,
  bundleService,
  describeBuildFailure,
  type RebuildResult,
  ServiceBundler,
  serviceBundleOptions,
  sourceMappedNodeOptions,
} from "./service-bundle.js";
export { watchServiceSources } from "./source-watch.js";
