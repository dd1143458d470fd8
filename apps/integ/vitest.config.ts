import { defineConfig } from "vitest/config";

// The tests synthesize the whole integ app (every service's image asset staged): seconds each.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
});
