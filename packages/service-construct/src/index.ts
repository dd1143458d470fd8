export { SERVICE_DEFAULTS } from "./defaults.js";
export { describeLimit, LIMITS, type Limit } from "./limits.js";
export { ServiceConstruct } from "./service-construct.js";
export type { ServiceConstructProps } from "./service-props.js";
export { SERVICE_SOURCE_METADATA, type ServiceSource } from "./service-source.js";
export { SERVICE_ID_PATTERN, SERVICE_ID_RULE, validateServiceProps } from "./validate-props.js";
