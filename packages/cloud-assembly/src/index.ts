export {
  eventBusNameOf,
  functionArnOf,
  lambdaFunctionName,
  type Place,
  parseArn,
} from "./arns.js";
export { AssemblyError } from "./assembly-error.js";
export type * from "./local-model.js";
export { readModel } from "./read-model.js";
