export { type CompiledPattern, compilePattern, validatePattern } from "./compile.js";
export { InvalidEventPatternError } from "./errors.js";
