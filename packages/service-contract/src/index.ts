export { APP_ASSEMBLY_DIR, WorkspaceRootError, workspaceRoot } from "./app-layout.js";
export {
  BUS_NAMES,
  type BusName,
  OUTPUT_BUS,
  SOURCE_BUS,
  SUCCESS_BUS_CHOICES,
  type SuccessBusChoice,
  successBusName,
} from "./buses.js";
export { describeIssues } from "./describe-issues.js";
export {
  RESULT_DETAIL_TYPES,
  RESULT_SOURCE,
  SUCCESS_DETAIL_TYPE,
  sampleSuccessResult,
} from "./lambda-results.js";
export {
  describeLimit,
  LIMITS,
  type Limit,
  LOG_RETENTION_DAYS,
  LOG_RETENTION_RULE,
  SERVICE_DEFAULTS,
} from "./limits.js";
export {
  ALIAS_NAME,
  type ArnPlace,
  aliasArnOf,
  deadLetterQueueNameOf,
  functionNameOf,
} from "./resource-names.js";
export {
  readServiceFolder,
  type ServiceFolder,
  ServiceFolderError,
  type ServiceFolderProblem,
} from "./service-folder.js";
export {
  describeServiceIdProblem,
  SERVICE_ID_RULE,
  type ServiceIdProblem,
  serviceIdProblem,
} from "./service-id.js";
export {
  type ServiceSettings,
  type Subscription,
  serviceSettingsSchema,
  subscriptionWarnings,
} from "./service-settings.js";
export { SERVICE_SOURCE_METADATA, type ServiceSource } from "./service-source.js";
