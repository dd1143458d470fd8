export { DeadLetterAlarms, type DeadLetterAlarmsProps } from "./dead-letter-alarms.js";
export { SERVICE_DEFAULTS } from "./defaults.js";
export {
  describeLimit,
  LIMITS,
  type Limit,
  LOG_RETENTION_DAYS,
  LOG_RETENTION_RULE,
} from "./limits.js";
export { ServiceConstruct, SUCCESS_DETAIL_TYPE } from "./service-construct.js";
export type { ServiceConstructProps, ServiceSubscription } from "./service-props.js";
export { SERVICE_SOURCE_METADATA, type ServiceSource } from "./service-source.js";
export { SERVICE_ID_PATTERN, SERVICE_ID_RULE, validateServiceProps } from "./validate-props.js";
