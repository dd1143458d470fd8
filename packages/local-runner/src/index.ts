export { type Mode, type RunLocalOptions, type RunningService, runLocal } from "./run-local.js";
