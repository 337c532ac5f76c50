// The app starts in a real window, is titled Memberdesk, and its welcome screen shows the
// version that came from Rust through the typed command (the IPC path end to end).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { appAroundTests, repoRoot, saveScreenshot } from "./lib/harness.mjs";
import { waitFor } from "./lib/webdriver.mjs";

const cargoVersion = /^version\s*=\s*"([^"]+)"/m.exec(
  readFileSync(join(repoRoot, "Cargo.toml"), "utf8"),
)[1];

let app;
appAroundTests((started) => { app = started; });

test("the window is titled Memberdesk", async () => {
  assert.equal(await app.title(), "Memberdesk");
});

test("the welcome screen shows the app name and the version reported by Rust", async () => {
  const version = await app.byTestId("welcome-app-version");
  const text = await waitFor("the version chip to have text", async () => (await version.text()).trim());
  assert.equal(text, `Version ${cargoVersion}`);
  const name = await app.byTestId("welcome-app-name");
  assert.equal((await name.text()).trim(), "Memberdesk");
  await saveScreenshot(app, "welcome");
});

test("the strict CSP was not violated by the UI while it loaded", async () => {
  const violations = await app.execute(
    "return [document.documentElement.dataset.cspViolations, document.documentElement.dataset.cspLastViolation];",
  );
  assert.equal(violations[0], "0", `CSP violation: ${violations[1]}`);
});

test("the webview cannot reach the network even if a script tries", async () => {
  const outcome = await app.execute(`
    const done = arguments[arguments.length - 1];
    return fetch("http://127.0.0.1:9/").then(() => "reached", (e) => "blocked: " + e.name);
  `).catch((e) => `blocked: ${e.message}`);
  assert.match(String(outcome), /^blocked/);
});

test("Tauri's IPC refuses the plugins' commands, which the capability does not grant", async () => {
  for (const [command, args] of [
    ["plugin:opener|open_url", { url: "https://example.com" }],
    ["plugin:updater|check", {}],
    ["plugin:updater|download_and_install", { rid: 1 }],
    ["plugin:log|log", { level: 3, message: "from the webview" }],
    ["plugin:dialog|save", {}],
  ]) {
    const outcome = await app.execute(
      `return window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
         .then(() => "allowed", (e) => "denied: " + String(e));`,
      [command, args],
    );
    assert.match(String(outcome), /^denied/, command);
  }
});
