// Type-aware lint of the UI. No rule is switched off "for now": a rule that does not fit is
// removed with a reason next to it.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/**", "public/**", "src/platform/bindings.ts"] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  reactHooks.configs.flat["recommended-latest"],
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Only src/platform/ talks to Tauri (the generated bindings); everything else goes
      // through src/platform/backend.ts, which is also the seam UI tests mock.
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@tauri-apps/*"], message: "Import from src/platform/backend instead." },
          ],
        },
      ],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
  {
    // The one door: backend.ts wraps the generated bindings and creates the IPC channels
    // that stream progress from Rust.
    files: ["src/platform/backend.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["eslint.config.js", "vite.config.ts"],
    languageOptions: { globals: { ...globals.node } },
  },
);
