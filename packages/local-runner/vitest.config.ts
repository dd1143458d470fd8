import { defineConfig } from "vitest/config";

// Tests here start real processes (the runtime client, the CLIs) and poll them: seconds, and
// more when another suite shares the machine's two cores.
export default defineConfig({ test: { testTimeout: 30_000 } });
