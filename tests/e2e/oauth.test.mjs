// Browser sign-in end to end, against an embedded portal this test starts: the app opens the
// portal's sign-in page with xdg-open (a stand-in, lib/fake-browser, signs in over HTTP), the
// refresh token goes to the OS keychain (gnome-keyring, unlocked by session.sh), a restart
// restores the session from it, and signing out revokes it. Each step is checked in the
// portal's own database.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { launchApp, saveScreenshot, startDriver, startPortal } from "./lib/harness.mjs";
import { scalar } from "./lib/portal-db.mjs";
import { waitFor } from "./lib/webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const ADMIN = "oauth_e2e_admin";
const PASSWORD = "Oauth-e2e-pass-1";
const dataDir = mkdtempSync(join(tmpdir(), "memberdesk-oauth-"));
const portalDb = join(dataDir, "portal.db");
const browserLog = join(dataDir, "browser.log");
let portal;
let portalUrl;
let driver;
let app;

before(async () => {
  ({ portal, url: portalUrl } = await startPortal([
    "--profile",
    "enterprise",
    "--data",
    portalDb,
    "--admin",
    `${ADMIN}:${PASSWORD}`,
    "--seed-users",
    "60",
    // An app the organization registered with another redirect URL than Memberdesk's.
    "--app",
    "org-app=http://127.0.0.1:1/callback",
  ]));
  driver = await startDriver({
    env: {
      MEMBERDESK_DATA_DIR: join(dataDir, "app"),
      PATH: `${join(here, "lib/fake-browser")}:${process.env.PATH ?? ""}`,
      FAKE_BROWSER_USERNAME: ADMIN,
      FAKE_BROWSER_PASSWORD: PASSWORD,
      FAKE_BROWSER_LOG: browserLog,
    },
  });
  app = await launchApp(driver);
});

after(async () => {
  await app?.end();
  await driver?.stop();
  portal?.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

const refreshTokens = () =>
  scalar(portalDb, "SELECT COUNT(*) FROM tokens WHERE kind = 'refresh' AND username = ?1", [ADMIN]);

/** Submits the Enterprise form once what was typed has reached it (the button is enabled). */
async function submitEnterprise() {
  await waitFor("the sign-in button to take the typed values", async () =>
    app.execute("return !document.querySelector('[data-testid=signin-enterprise]').disabled"),
  );
  await app.activate('[data-testid="signin-enterprise"]');
}

async function membersShown() {
  try {
    return await waitFor("every member in the table", async () => {
      const text = await app.execute("return document.querySelector('[data-testid=members-count]')?.textContent ?? ''");
      return text === "61 members" ? text : null;
    }, { timeoutMs: 60000 });
  } catch (e) {
    await saveScreenshot(app, "oauth-failure");
    throw e;
  }
}

const browserOpens = () => readFileSync(browserLog, { encoding: "utf8", flag: "a+" }).split("\n").filter((l) => l.startsWith("open ")).length;

/** The browser sign-in's error notice once it names `text`: its code and its text. */
async function signInRefusal(text) {
  return waitFor(`the sign-in to say "${text}"`, async () =>
    app.execute(
      `const n = document.querySelector('[data-testid=signin-browser-error]');
       return n && n.textContent.includes(arguments[0]) ? { code: n.dataset.code, text: n.textContent } : null;`,
      [text],
    ),
  );
}

test("a portal that refuses the client ID or the redirect URL says what to register, before any browser opens", async () => {
  await app.byTestId("signin-portal-url");
  await app.replaceText("signin-portal-url", portalUrl);
  await app.replaceText("signin-client-id", "unknown-app");
  await submitEnterprise();
  const unknown = await signInRefusal('does not know the app client ID "unknown-app"');
  assert.equal(unknown.code, "app_registration");
  assert.match(unknown.text, /Developer credentials/);
  assert.match(unknown.text, /http:\/\/127\.0\.0\.1:45451\/callback/);

  await app.replaceText("signin-client-id", "org-app");
  await submitEnterprise();
  const redirect = await signInRefusal("does not allow Memberdesk's redirect URL");
  assert.match(redirect.text, /"org-app"/);
  assert.equal(browserOpens(), 0, "the browser was never opened on a refused registration");

  await app.activate('[data-testid="signin-open-guide"]');
  const uris = await waitFor("the registration steps with the redirect URLs", async () =>
    app.execute(
      `const g = document.querySelector('[data-testid=register-guide]');
       if (!g || !g.open) return null;
       const uris = [...g.querySelectorAll('[data-testid=register-redirect-uris] code')].map((c) => c.textContent);
       return uris.length ? uris : null;`,
    ),
  );
  assert.deepEqual(uris, [45451, 45452, 45453].map((p) => `http://127.0.0.1:${p}/callback`));
  await saveScreenshot(app, "register-guide");
  // Closed once its transition ends and the focus is back in the window (typing before that
  // would lose keys to the focus coming back).
  await app.execute(
    "document.querySelector('[data-testid=register-guide]').addEventListener('calciteDialogClose', () => { window.guideClosed = true; }, { once: true })",
  );
  await app.activate('[data-testid="register-close"]');
  await waitFor("the steps to close", async () => app.execute("return window.guideClosed === true"));
  // Memberdesk's own client ID, which this portal knows (as the empty field means).
  await app.replaceText("signin-client-id", "memberdesk");
});

test("signing in to ArcGIS Enterprise through the browser opens the members", async () => {
  await app.byTestId("signin-portal-url");
  await app.replaceText("signin-portal-url", portalUrl);
  await submitEnterprise();
  await membersShown();
  const log = readFileSync(browserLog, "utf8");
  const opened = new URL(log.split("\n").find((l) => l.startsWith("open "))?.slice(5) ?? "");
  assert.equal(`${opened.origin}${opened.pathname}`, `${portalUrl}/oauth2/authorize`);
  assert.equal(opened.searchParams.get("client_id"), "memberdesk");
  assert.equal(opened.searchParams.get("code_challenge_method"), "S256");
  // The first of Memberdesk's fixed loopback ports, whose redirect URL organizations register.
  assert.equal(opened.searchParams.get("redirect_uri"), "http://127.0.0.1:45451/callback");
  assert.ok(!/token|password/i.test(opened.search.replace(/response_type=code/, "")), "no secret in the URL");
  assert.equal(refreshTokens(), 1, "the portal issued one refresh token to the app");
  const user = await app.execute("return document.querySelector('[data-testid=header-user]')?.getAttribute('full-name')");
  assert.equal(user, ADMIN);
});

test("About shows the version and folders, and copies diagnostics without anything secret or personal", async () => {
  await app.activate('[data-testid="about-open"]');
  const folders = await waitFor("About to open", async () =>
    app.execute(
      `const d = document.querySelector('[data-testid=about]');
       const log = document.querySelector('[data-testid=about-log-dir]');
       return d && d.open && log ? { log: log.textContent, data: document.querySelector('[data-testid=about-data-dir]').textContent } : null;`,
    ),
  );
  assert.equal(folders.log, process.env.MEMBERDESK_LOG_DIR);
  assert.equal(folders.data, join(dataDir, "app"));
  await app.activate('[data-testid="about-copy"]');
  const text = await waitFor("the diagnostics", async () =>
    app.execute("return document.querySelector('[data-testid=about-diagnostics]')?.textContent || null"),
  );
  const copied = await app.execute("return document.querySelector('[data-testid=about-copied]')?.textContent ?? ''");
  assert.match(copied, /^Copied\./);
  // What the OS clipboard holds (X11 under Xvfb), as the administrator will paste it.
  const clipboard = execFileSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 10000 });
  assert.equal(clipboard, text);
  assert.match(text, /^App: Memberdesk \d+\.\d+\.\d+$/m);
  assert.match(text, /^Tauri: 2\./m);
  assert.match(text, /^Operating system: .+\((x86_64|aarch64)\)$/m);
  assert.match(text, /^Portal: ArcGIS Enterprise$/m);
  assert.match(text, /^Portal version: \d+/m);
  assert.match(text, /^Members cached: 61$/m);
  const host = new URL(portalUrl).host;
  for (const personal of [ADMIN, PASSWORD, host]) {
    assert.ok(!text.includes(personal), `the diagnostics do not name ${personal}`);
  }
  await saveScreenshot(app, "about");
  await app.activate('[data-testid="about-close"]');
  await waitFor("About to close", async () => app.execute("return !document.querySelector('[data-testid=about]').open"));
});

test("a restart restores the session from the keychain without the browser", async () => {
  const opened = readFileSync(browserLog, "utf8").split("\n").filter((l) => l.startsWith("open ")).length;
  await app.end();
  app = await launchApp(driver);
  await membersShown();
  const again = readFileSync(browserLog, "utf8").split("\n").filter((l) => l.startsWith("open ")).length;
  assert.equal(again, opened, "the browser was not opened again");
  const profiles = readFileSync(join(dataDir, "app", "profiles.json"), "utf8");
  assert.ok(profiles.includes(ADMIN) && !/refresh_?token|access_?token/i.test(profiles), "no token in the app's files");
  await saveScreenshot(app, "members-restored");
});

test("signing out revokes the refresh token; the next start shows the sign-in screen with the portal", async () => {
  // Signing out re-renders the whole window: activated by a DOM click (see `activate`).
  await app.activate('[data-testid="sign-out"]');
  await app.byTestId("signin-demo");
  await waitFor("the portal to revoke the refresh token", async () => refreshTokens() === 0);
  await app.end();
  app = await launchApp(driver);
  await app.byTestId("signin-demo");
  await app.byTestId("signin-profile");
  const profile = await app.execute("return document.querySelector('[data-testid=signin-profile]').textContent");
  assert.match(profile, new RegExp(`${ADMIN} · ${portalUrl}`));
  await saveScreenshot(app, "sign-in-recent");
});

test("a built-in account signs in with its password; that session is not kept for the next start", async () => {
  const accessTokens = () =>
    scalar(portalDb, "SELECT COUNT(*) FROM tokens WHERE kind = 'access' AND username = ?1", [ADMIN]);
  const before = accessTokens();
  await app.byTestId("signin-method-password");
  await app.activate('[data-testid="signin-method-password"]');
  await app.byTestId("signin-password");
  await app.replaceText("signin-portal-url", portalUrl);
  await app.replaceText("signin-username", ADMIN);
  await app.replaceText("signin-password", PASSWORD);
  await submitEnterprise();
  await membersShown();
  assert.equal(accessTokens(), before + 1, "the portal issued a token to the password sign-in");
  await app.end();
  app = await launchApp(driver);
  await app.byTestId("signin-demo");
  // The saved portals are read after the screen shows: wait for them.
  await app.byTestId("signin-profile");
  const profile = await app.execute("return document.querySelector('[data-testid=signin-profile]').textContent");
  assert.match(profile, new RegExp(ADMIN), "the portal is offered again, to type the password");
});
