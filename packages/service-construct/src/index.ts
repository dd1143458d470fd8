export { DeadLetterAlarms, type DeadLetterAlarmsProps } from "./dead-letter-alarms.js";
export { ServiceConstruct } from "./service-construct.js";
export type { ServiceConstructProps, ServiceSubscription } from "./service-props.js";
