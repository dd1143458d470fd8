export { arns, type Place, parseArn } from "./arns.js";
export { AssemblyError } from "./assembly-error.js";
export type * from "./local-model.js";
export { readModel } from "./read-model.js";
export { LOCAL_PLACE_DEFAULTS } from "./read-stacks.js";
export { busNameOf } from "./resource-identity.js";
