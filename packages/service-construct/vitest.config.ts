import { defineConfig } from "vitest/config";

// Tests synthesize stacks in process: about a second each, more when another suite shares the
// machine's two cores.
export default defineConfig({ test: { testTimeout: 30_000 } });
