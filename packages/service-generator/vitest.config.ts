import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // generator.test.ts installs, builds and synthesizes a copy of the checkout: minutes.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
