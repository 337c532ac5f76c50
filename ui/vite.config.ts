/// <reference types="vitest/config" />
// Vite config of the webview UI. The Tauri shell loads `ui/dist` in builds and the dev server
// on port 1420 under `tauri dev`. Calcite's assets (icons, translations) are served from the
// app itself: nothing is fetched from a CDN, and the CSP would refuse it anyway.
import { cpSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
const calciteAssets = resolve(here, "node_modules/@esri/calcite-components/dist/cdn/assets");

/** Copies Calcite's assets into `public/calcite/assets` so dev and build both serve them. */
function calciteAssetsPlugin(): Plugin {
  return {
    name: "memberdesk-calcite-assets",
    buildStart() {
      const target = resolve(here, "public/calcite/assets");
      if (!existsSync(calciteAssets)) {
        throw new Error(`Calcite assets not found at ${calciteAssets}; run npm ci in ui/`);
      }
      cpSync(calciteAssets, target, { recursive: true });
    },
  };
}

export default defineConfig({
  plugins: [react(), calciteAssetsPlugin()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: "127.0.0.1",
    // The UI tests read the table of form-rule cases shared with the Rust tests.
    fs: { allow: [here, resolve(here, "../tests/fixtures")] },
  },
  build: {
    // WebKitGTK on Linux, WKWebView on macOS, WebView2 on Windows: all current.
    target: ["es2022", "safari16"],
    chunkSizeWarningLimit: 2048,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/testing/setup.ts"],
    restoreMocks: true,
    // Stylesheets stay out of UI tests (jsdom lays nothing out), except where a test reads one
    // as text (`?raw`) to check a rule the layout depends on.
    css: { include: [/\.css\?raw$/] },
  },
});
