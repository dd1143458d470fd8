import { fileURLToPath } from "node:url";

/** The built console (index.html and assets/), which the local cloud serves. */
export const consoleDist = fileURLToPath(new URL("./dist/", import.meta.url));
