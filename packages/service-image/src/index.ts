export { type HostCommand, toHostCommand } from "./host-command.js";
export { type ImageCommand, readImageCommand } from "./image-command.js";
export { ImageCommandError } from "./image-error.js";
