import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests start real runtime processes; a cold start takes about 100 ms.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
