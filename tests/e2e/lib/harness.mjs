// Shared set-up of the end-to-end tests: where the app binary is, where artifacts go, a
// running tauri-driver, and the app around a test file's tests. The tests run under `dbus-run-session -- xvfb-run ...` (see
// tests/e2e/run.sh), so a real X display and session bus exist.
import { execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { basename, dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { after, before } from "node:test";
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

/** A timestamped line on stderr, so a run's log shows where each file spent its time. */
export function step(message) {
  const file = basename(process.argv[1] ?? "e2e");
  process.stderr.write(`[${new Date().toISOString().slice(11, 23)} ${file}] ${message}\n`);
}

let drivers = 0;

/**
 * Starts tauri-driver on free ports; returns its base URL and a stop function. `env` is added
 * to the driver's environment, which the app it launches inherits (tauri-driver 2.1 has no
 * per-session environment).
 *
 * The driver, WebKitWebDriver and the app all write to one log file under the artifacts (not
 * to pipes: a process left behind holding a pipe would keep this test file from ever ending),
 * and they share a process group of their own, which `stop` ends whole.
 */
export async function startDriver({ env = {} } = {}) {
  const port = await freePort();
  const nativePort = await freePort();
  const logDir = join(artifactsDir, "logs");
  mkdirSync(logDir, { recursive: true });
  drivers += 1;
  const logPath = join(logDir, `${basename(process.argv[1] ?? "e2e", ".test.mjs")}-driver-${drivers}.log`);
  const logFd = openSync(logPath, "w");
  const child = spawn(
    process.env.TAURI_DRIVER ?? "tauri-driver",
    ["--port", String(port), "--native-port", String(nativePort)],
    { stdio: ["ignore", logFd, logFd], env: { ...process.env, ...env }, detached: true },
  );
  closeSync(logFd);
  const exited = new Promise((r) => child.once("exit", r));
  const log = () => readFileSync(logPath, "utf8");
  const base = `http://127.0.0.1:${port}`;
  step(`tauri-driver ${child.pid} on ${base}, log ${logPath}`);
  await waitFor("tauri-driver to answer /status", async () => {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited: ${log()}`);
    const r = await fetch(`${base}/status`, { signal: AbortSignal.timeout(5000) });
    return r.ok;
  });
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  return {
    base,
    log,
    async stop() {
      signalGroup("SIGTERM");
      const ended = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
      if (!ended) step("tauri-driver ignored SIGTERM for 5 s: killed");
      // Whatever the driver left behind (WebKitWebDriver, an app that did not quit) goes too.
      signalGroup("SIGKILL");
      step("tauri-driver stopped");
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts an embedded portal of its own (`portal-emulator serve` with `args`, plain HTTP on
 * loopback); answers the process and its REST base, once it says where it listens. The caller
 * kills it.
 */
export async function startPortal(args) {
  const binary = process.env.PORTAL_EMULATOR ?? join(repoRoot, "target/debug/portal-emulator");
  const portal = spawn(binary, ["serve", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise((done, fail) => {
    createInterface({ input: portal.stdout }).once("line", done);
    portal.once("error", fail);
    portal.once("exit", (code) => { fail(new Error(`portal-emulator exited with ${code}`)); });
    setTimeout(() => fail(new Error("portal-emulator did not say where it listens within 60 s")), 60000).unref();
  });
  step(`portal-emulator ${portal.pid}: ${line}`);
  const url = line.split("listening on ")[1];
  if (!url?.startsWith("http://127.0.0.1:")) throw new Error(`portal-emulator said: ${line}`);
  return { portal, url };
}

/** Opens the app in a fresh WebDriver session. */
export async function launchApp(driver, options = {}) {
  step("launching the app");
  const session = await Session.start(driver.base, appBinary(), options);
  // The page has loaded when the session starts; wait for React's first render too.
  await waitFor("the app's page to load", async () =>
    (await session.execute("return document.readyState === 'complete' && !!document.querySelector('#root > *');")),
  );
  return session;
}

/**
 * Starts tauri-driver and the app before the calling test file's tests, and ends both after
 * them; `started` receives the app's session. With `dataDirPrefix`, the app keeps its data in
 * a fresh temporary folder (MEMBERDESK_DATA_DIR), whose path is returned and which is removed
 * at the end.
 */
export function appAroundTests(started, { dataDirPrefix } = {}) {
  const dataDir = dataDirPrefix ? mkdtempSync(join(tmpdir(), dataDirPrefix)) : undefined;
  let driver;
  let app;
  before(async () => {
    driver = await startDriver(dataDir ? { env: { MEMBERDESK_DATA_DIR: dataDir } } : {});
    app = await launchApp(driver);
    started(app);
  });
  after(async () => {
    await app?.end();
    await driver?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return dataDir;
}

/** Waits until the page has painted what its DOM holds: fonts loaded, two frames, a pause. */
export async function settle(session) {
  await session.execute(`return document.fonts.ready.then(() => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)))));`);
}

/**
 * Saves what the X display shows (the app's window) as `screenshots/<name>.png`. Taken from
 * the display with ImageMagick's `import` rather than through WebDriver: with compositing off
 * (src-tauri/src/memory.rs) WebKitWebDriver's screenshot, a snapshot the web process renders
 * again, never answers on some pages, while the window itself paints normally.
 */
export async function saveScreenshot(session, name) {
  await settle(session);
  mkdirSync(join(artifactsDir, "screenshots"), { recursive: true });
  const path = join(artifactsDir, "screenshots", `${name}.png`);
  execFileSync("import", ["-window", "root", path], { timeout: 30000 });
  return path;
}
