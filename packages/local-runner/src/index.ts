export { watchAncestors } from "./ancestor-watch.js";
export { callLocal, DEFAULT_BODY, requestBody } from "./call.js";
export {
  chooseContainerEmulator,
  containerRunArgs,
  RIE_DEFAULT_PATH,
  RIE_VARIABLE,
} from "./container-emulator.js";
export { dockerEngine } from "./docker.js";
export { LiveBundle, SAVE_DEBOUNCE_MS } from "./live-bundle.js";
export { type Mode, type RunLocalOptions, type RunningService, runLocal } from "./run-local.js";
export {
  BundleError,
  bundleService,
  describeBuildFailure,
  type RebuildResult,
  ServiceBundler,
  serviceBundleOptions,
  sourceMappedNodeOptions,
} from "./service-bundle.js";
export { readServiceFolder } from "./service-folder.js";
export { watchServiceSources } from "./source-watch.js";
