export { type RunningEmulator, startEmulator } from "./emulator.js";
export type { InvokeOptions, InvokeResult } from "./invoke-client.js";
export { DEFAULT_MAX_PAYLOAD_BYTES, type EmulatorOptions, type InspectOptions } from "./options.js";
