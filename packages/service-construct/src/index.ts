export { ServiceConstruct } from "./service-construct.js";
export type { ServiceConstructProps } from "./service-props.js";
export { SERVICE_ID_PATTERN, validateServiceProps } from "./validate-props.js";
