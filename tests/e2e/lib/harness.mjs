// Shared set-up of the end-to-end tests: where the app binary is, where artifacts go, and a
// running tauri-driver. The tests run under `dbus-run-session -- xvfb-run ...` (see
// tests/e2e/run.sh), so a real X display and session bus exist.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Session, waitFor } from "./webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../../..");
export const artifactsDir = resolve(process.env.E2E_ARTIFACTS ?? join(repoRoot, "artifacts/e2e"));

export function appBinary() {
  const path = process.env.MEMBERDESK_APP ?? join(repoRoot, "target/debug/memberdesk");
  if (!existsSync(path)) {
    throw new Error(`app binary not found at ${path}: build it with tests/e2e/run.sh`);
  }
  return path;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on("error", reject);
  });
}

/**
 * Starts tauri-driver on free ports; returns its base URL and a stop function. `env` is added
 * to the driver's environment, which the app it launches inherits (tauri-driver 2.1 has no
 * per-session environment).
 */
export async function startDriver({ env = {} } = {}) {
  const port = await freePort();
  const nativePort = await freePort();
  const log = [];
  const child = spawn(
    process.env.TAURI_DRIVER ?? "tauri-driver",
    ["--port", String(port), "--native-port", String(nativePort)],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  child.stdout.on("data", (d) => log.push(d.toString()));
  child.stderr.on("data", (d) => log.push(d.toString()));
  const base = `http://127.0.0.1:${port}`;
  await waitFor("tauri-driver to answer /status", async () => {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited: ${log.join("")}`);
    const r = await fetch(`${base}/status`);
    return r.ok;
  });
  return {
    base,
    log,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    },
  };
}

/** Opens the app in a fresh WebDriver session. */
export async function launchApp(driver, options = {}) {
  const session = await Session.start(driver.base, appBinary(), options);
  // The page has loaded when the session starts; wait for React's first render too.
  await waitFor("the app's page to load", async () =>
    (await session.execute("return document.readyState === 'complete' && !!document.querySelector('#root > *');")),
  );
  return session;
}

/** Waits until the page has painted what its DOM holds: fonts loaded, two frames, a pause. */
export async function settle(session) {
  await session.execute(`return document.fonts.ready.then(() => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)))));`);
}

export async function saveScreenshot(session, name) {
  await settle(session);
  mkdirSync(join(artifactsDir, "screenshots"), { recursive: true });
  const path = join(artifactsDir, "screenshots", `${name}.png`);
  writeFileSync(path, await session.screenshot());
  return path;
}
