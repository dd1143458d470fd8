export { watchAncestors } from "./ancestor-watch.js";
export { type HostCommand, toHostCommand } from "./host-command.js";
export { readImageCommand } from "./image-command.js";
export { ImageCommandError } from "./image-error.js";
export { LiveBundle } from "./live-bundle.js";
export { BundleError, bundleService, sourceMappedNodeOptions } from "./service-bundle.js";
export { watchServiceSources } from "./source-watch.js";
