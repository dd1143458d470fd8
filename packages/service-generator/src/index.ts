export { checkServiceName, checkSuccessBus } from "./service-name.js";
export { nextSteps, runSetupStep, type SetupStep, setupSteps } from "./setup.js";
export {
  compareVersions,
  FALLBACK_VERSIONS,
  type ServiceDependency,
  serviceDependencyVersions,
} from "./versions.js";
