export { callLocal, DEFAULT_BODY, requestBody } from "./call.js";
export {
  chooseContainerEmulator,
  containerRunArgs,
  RIE_DEFAULT_PATH,
  RIE_VARIABLE,
} from "./container-emulator.js";
export { dockerEngine } from "./docker.js";
export { type Mode, type RunLocalOptions, type RunningService, runLocal } from "./run-local.js";
export { readServiceFolder } from "./service-folder.js";
