import { defineConfig } from "vitest/config";

// Tests here synthesize whole apps and run the real entry points: seconds, not milliseconds.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
