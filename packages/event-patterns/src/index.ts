export {
  type CompiledPattern,
  compilePattern,
  patternWarnings,
  validatePattern,
} from "./compile.js";
export { InvalidEventPatternError } from "./errors.js";
export { type Explanation, explain, type Failure, formatExplanation } from "./explain.js";
export { compileRuleSet, type NamedPattern, type RuleSet } from "./rule-set.js";
