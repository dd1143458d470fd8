export type { BusEvent } from "./bus-event.js";
export { LocalCloud, type LocalCloudOptions } from "./engine/local-cloud.js";
export type { Observation, Observer } from "./engine/observations.js";
export { type Environment, type EnvironmentOptions, startEnvironment } from "./environment.js";
export type { EventLog, LogEntry, LogRetention } from "./state/event-log.js";
export { StateDatabase, StateFileError } from "./state/state-database.js";
