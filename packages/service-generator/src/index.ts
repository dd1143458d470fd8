export {
  checkServiceName,
  checkSuccessBus,
  RESERVED_SERVICE_NAMES,
  SERVICE_NAME_RULE,
  SUCCESS_BUS_CHOICES,
  type SuccessBus,
} from "./service-name.js";
export { nextSteps, runSetupStep, type SetupStep, setupSteps } from "./setup.js";
export {
  compareVersions,
  FALLBACK_VERSIONS,
  type ServiceDependency,
  serviceDependencyVersions,
} from "./versions.js";
