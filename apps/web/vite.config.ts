import { defineConfig } from "vite";

/** Gzipped JavaScript the monitors page may load first (issue #17); the build fails past it. */
export const MONITORS_PAGE_JS_BUDGET = 200 * 1024;

// biome-ignore lint/style/noDefaultExport: Vite reads its configuration from the default export.
export default defineConfig({
  // The API serves the build under /app (apps/api/src/http/web.ts).
  base: "/app/",
  // JSX through esbuild's automatic runtime: the React plugin would only add Fast Refresh in dev.
  esbuild: { jsx: "automatic" },
  build: {
    target: "es2022",
    // Hashed file names: the API serves them as immutable.
    assetsDir: "assets",
    sourcemap: false,
    reportCompressedSize: true,
    rollupOptions: {
      // React libraries mark their modules "use client" for server components; a client bundle ignores it.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  server: { proxy: { "/api": "http://localhost:3000" } },
});
