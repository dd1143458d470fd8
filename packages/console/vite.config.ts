import { defineConfig } from "vite";

export default defineConfig({
  // Preact's JSX, without a plugin: the compiler's automatic runtime pointed at Preact.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Everything local: no inlined data: URLs beyond what the CSP allows, no external fetches.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
