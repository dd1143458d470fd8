export { AssemblyError } from "./assembly/assembly-error.js";
export type * from "./assembly/local-model.js";
export { readModel } from "./assembly/read-model.js";
export type { BusEvent } from "./bus-event.js";
