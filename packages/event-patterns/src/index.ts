export {
  type CompiledPattern,
  compilePattern,
  patternWarnings,
  validatePattern,
} from "./compile.js";
export { InvalidEventPatternError } from "./errors.js";
