export { type RunningEmulator, startEmulator } from "./emulator.js";
export type { EmulatorOptions } from "./options.js";
