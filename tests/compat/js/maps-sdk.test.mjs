// Esri's ArcGIS Maps SDK for JavaScript (@arcgis/core 4.x) against the embedded portal, in a
// real headless Chromium (Debian's `chromium`, driven through `/usr/bin/chromedriver` by
// selenium-webdriver). The app's page comes from a static server of its own (another origin
// than the portal's, so every portal call is cross-origin and CORS matters), and the portal
// serves HTTPS because the SDK upgrades `http:` portal URLs to `https:`. Chromium trusts the
// portal's certificate and nothing else: the test passes the certificate's public-key hash in
// `--ignore-certificate-errors-spki-list`.
//
// Nothing is downloaded: selenium-webdriver is given the driver's path, so its Selenium
// Manager never runs.
import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Browser, Builder, By, until } from "selenium-webdriver";
import chrome from "selenium-webdriver/chrome.js";
import { startPortal } from "./lib/portal.mjs";
import { importMap, startStaticServer } from "./lib/static-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const nodeModules = join(here, "node_modules");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CHROMEDRIVER = process.env.CHROMEDRIVER ?? "/usr/bin/chromedriver";
const ADMIN = "sdk_admin";
const ADMIN_PASSWORD = "Sdk-pass-1";
// Memberdesk's own public client accepts loopback redirects on any port (RFC 8252 §7.3),
// which is what the test page is.
const CLIENT_ID = "memberdesk";
const SEEDED = 150;
// Liveness limits for the browser, not assertions: hundreds of modules load on a busy machine.
const PATIENCE_MS = 60_000;

let portal;
let web;
let driver;
let profile;

/** The base64 SHA-256 of a PEM certificate's public key, as Chromium's SPKI list wants it. */
function spkiHash(pem) {
  const spki = new X509Certificate(pem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

before(async () => {
  for (const [what, path] of [["chromium", CHROMIUM], ["chromium-driver", CHROMEDRIVER]]) {
    assert.ok(existsSync(path), `${path} is missing: install Debian's ${what} (scripts/lib.sh)`);
  }
  portal = await startPortal({ admin: `${ADMIN}:${ADMIN_PASSWORD}`, seedUsers: SEEDED, tls: true });
  assert.ok(portal.origin.startsWith("https://"), portal.origin);
  const page = readFileSync(join(here, "maps-sdk/page.html"), "utf8")
    .replace("%IMPORT_MAP%", JSON.stringify(importMap(nodeModules)))
    .replace("%PORTAL%", JSON.stringify(portal.origin))
    .replace("%CLIENT_ID%", JSON.stringify(CLIENT_ID));
  web = await startStaticServer({ page, nodeModules });
  assert.notEqual(new URL(web.origin).origin, new URL(portal.origin).origin);

  profile = mkdtempSync(join(tmpdir(), "compat-chromium-"));
  const options = new chrome.Options()
    .setChromeBinaryPath(CHROMIUM)
    .addArguments(
      "--headless=new",
      "--disable-dev-shm-usage",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      `--ignore-certificate-errors-spki-list=${spkiHash(portal.certificate)}`,
    );
  // Chromium refuses to start as root without this (containers, CI).
  if (process.getuid?.() === 0) options.addArguments("--no-sandbox");
  driver = await new Builder()
    .forBrowser(Browser.CHROME)
    .setChromeOptions(options)
    .setChromeService(new chrome.ServiceBuilder(CHROMEDRIVER))
    .build();
  await driver.manage().setTimeouts({ script: PATIENCE_MS, pageLoad: PATIENCE_MS });
});

after(async () => {
  await driver?.quit();
  await web?.stop();
  portal?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Opens the app's page with nothing stored from an earlier test, and waits for the SDK. */
async function openPage() {
  await driver.get(`${web.origin}/`);
  await driver.executeScript("sessionStorage.clear(); localStorage.clear();");
  await driver.get(`${web.origin}/`);
  await driver.wait(() => driver.executeScript("return window.sdkReady === true"), PATIENCE_MS);
  assert.deepEqual(await settledSignIn(), { state: "none" }, "nobody is signed in yet");
}

/** The page's sign-in status once the SDK has checked it. */
async function settledSignIn() {
  await driver.wait(
    () => driver.executeScript("return window.sdkReady === true && window.signIn.state !== 'pending'"),
    PATIENCE_MS,
  );
  return driver.executeScript("return window.signIn;");
}

/** Runs `body` (an async function's text, taking `sdk`) in the page and returns its result. */
function inPage(body, ...args) {
  return driver.executeScript(
    `return (async (sdk, ...args) => { ${body} })(window.sdk, ...arguments);`,
    ...args,
  );
}

/** The portal paths the page has fetched (cross-origin), in order. */
async function portalCalls() {
  const urls = await driver.executeScript(
    "return performance.getEntriesByType('resource').map((e) => e.name);",
  );
  const elsewhere = urls.filter(
    (u) => !u.startsWith(`${portal.origin}/`) && !u.startsWith(`${web.origin}/`) && !u.startsWith("data:"),
  );
  assert.deepEqual(elsewhere, [], "the SDK fetched nothing but the page's files and the portal");
  return urls
    .filter((u) => u.startsWith(`${portal.origin}/`))
    .map((u) => new URL(u).pathname);
}

/** Signs the page in the way an app holding a token does: generateToken, then registerToken. */
async function signInWithToken(t) {
  const userId = await inPage(
    `const [username, password] = args;
     const { data } = await sdk.esriRequest(sdk.portalUrl + "/sharing/rest/generateToken", {
       method: "post", authMode: "anonymous",
       query: { username, password, referer: location.origin, expiration: 60, f: "json" },
     });
     sdk.IdentityManager.registerToken({
       server: sdk.portalUrl + "/sharing/rest", token: data.token, expires: data.expires,
       ssl: data.ssl, userId: username,
     });
     return (await sdk.IdentityManager.checkSignInStatus(sdk.portalUrl + "/sharing")).userId;`,
    ADMIN,
    ADMIN_PASSWORD,
  );
  assert.equal(userId, ADMIN);
  t.diagnostic(`signed in with a token: ${ADMIN}`);
}

test("portal.load() anonymously reads the org over HTTPS from another origin", async (t) => {
  await openPage();
  const loaded = await inPage(
    `const portal = new sdk.Portal({ url: sdk.portalUrl });
     await portal.load();
     return { loaded: portal.loaded, restUrl: portal.restUrl, user: portal.user, id: portal.id,
              isPortal: portal.isPortal,
              credential: sdk.IdentityManager.findCredential(sdk.portalUrl + "/sharing/rest") ?? null };`,
  );
  assert.equal(loaded.loaded, true);
  assert.equal(loaded.restUrl, `${portal.origin}/sharing/rest`);
  assert.equal(loaded.user, null, "an anonymous load has no user");
  assert.equal(loaded.credential, null, "loading anonymously asks for no sign-in");
  assert.ok(loaded.id, "portals/self names the organization");
  assert.equal(loaded.isPortal, false, "the agol profile is ArcGIS Online");
  t.diagnostic(`portal calls: ${(await portalCalls()).join(" ")}`);
});

test("Portal.queryUsers pages with nextQueryParams and esriRequest reads community/users, signed in", async (t) => {
  await openPage();
  await signInWithToken(t);
  const pages = await inPage(
    `const portal = new sdk.Portal({ url: sdk.portalUrl, authMode: "immediate" });
     await portal.load();
     const pages = [];
     let params = new sdk.PortalQueryParams({ query: "*", num: 40, sortField: "username" });
     while (params.start !== -1 && pages.length < 20) {
       const result = await portal.queryUsers(params);
       pages.push({ start: params.start, total: result.total,
                    usernames: result.results.map((u) => u.username) });
       params = result.nextQueryParams;
     }
     return pages;`,
  );
  const total = SEEDED + 1;
  assert.deepEqual(
    pages.map((p) => p.start),
    [1, 41, 81, 121],
    "each page starts where the previous one's nextStart said, and -1 ends the paging",
  );
  const seen = pages.flatMap((p) => p.usernames);
  assert.ok(pages.every((p) => p.total === total), "every page reports the same total");
  assert.equal(new Set(seen).size, seen.length, "no member comes twice");
  assert.equal(seen.length, total, "every member comes once");
  const lower = seen.map((u) => u.toLowerCase());
  assert.deepEqual(lower, [...lower].sort(), "sortField=username holds across pages");

  const direct = await inPage(
    `const { data } = await sdk.esriRequest(sdk.portalUrl + "/sharing/rest/community/users", {
       query: { q: "username:" + args[0], num: 10, f: "json" },
     });
     return data;`,
    ADMIN,
  );
  assert.equal(direct.total, 1);
  assert.equal(direct.results[0].username, ADMIN);
  assert.equal(direct.results[0].role, "org_admin", "the registered token went along");
  t.diagnostic(`portal calls: ${(await portalCalls()).join(" ")}`);
});

test("portal.load() signed in knows the user and their privileges", async (t) => {
  await openPage();
  await signInWithToken(t);
  const loaded = await inPage(
    `const portal = new sdk.Portal({ url: sdk.portalUrl, authMode: "immediate" });
     await portal.load();
     return { username: portal.user?.username, role: portal.user?.role,
              privileges: portal.user?.privileges ?? [], orgId: portal.user?.orgId, id: portal.id };`,
  );
  assert.equal(loaded.username, ADMIN);
  assert.equal(loaded.role, "org_admin");
  assert.ok(loaded.privileges.some((p) => p.includes(":admin:")), "an administrator's privileges");
  assert.equal(loaded.orgId, loaded.id, "the user belongs to the organization portals/self names");
});

test("the SDK's own OAuth sign-in (PKCE, no popup) goes through the portal's page and back", async (t) => {
  await openPage();
  // getCredential navigates the page away, so it is started, not awaited.
  await driver.executeScript(
    "setTimeout(() => window.sdk.IdentityManager.getCredential(window.sdk.portalUrl + '/sharing'), 0);",
  );
  const authorize = `${portal.origin}/sharing/oauth2/authorize`;
  await driver.wait(until.urlContains(authorize), PATIENCE_MS);
  const asked = new URL(await driver.getCurrentUrl());
  t.diagnostic(`authorize: ${asked.pathname}?${[...asked.searchParams.keys()].join("&")}`);
  assert.equal(asked.searchParams.get("client_id"), CLIENT_ID);
  assert.equal(asked.searchParams.get("response_type"), "code");
  assert.equal(asked.searchParams.get("code_challenge_method"), "S256", "PKCE with SHA-256");
  assert.equal(asked.searchParams.get("redirect_uri"), `${web.origin}/`);

  // The portal's sign-in form, filled in the way a person does.
  await driver.wait(until.elementLocated(By.id("user_username")), PATIENCE_MS);
  await driver.findElement(By.id("user_username")).sendKeys(ADMIN);
  await driver.findElement(By.id("user_password")).sendKeys(ADMIN_PASSWORD);
  await driver.findElement(By.id("signIn")).click();

  // Back on the app's page with a code, the SDK trades it for a token.
  await driver.wait(until.urlContains(`${web.origin}/`), PATIENCE_MS);
  const signIn = await settledSignIn();
  const openedWith = new URLSearchParams(await driver.executeScript("return window.openedWith;"));
  assert.ok(openedWith.get("code"), "the portal redirected back with a code in the query");
  assert.ok(openedWith.get("state"), "and the SDK's state");
  assert.equal(signIn.state, "done", JSON.stringify(signIn));
  assert.equal(signIn.userId, ADMIN);
  assert.equal(signIn.hasToken, true);
  assert.ok(!/[?&](code|state)=/.test(await driver.getCurrentUrl()), "the SDK cleans the URL");
  const calls = await portalCalls();
  assert.ok(calls.includes("/sharing/rest/oauth2/token"), `the code was traded: ${calls}`);

  const signedIn = await inPage(
    `const portal = new sdk.Portal({ url: sdk.portalUrl, authMode: "immediate" });
     await portal.load();
     const { data } = await sdk.esriRequest(sdk.portalUrl + "/sharing/rest/community/self", {
       query: { f: "json" },
     });
     return { user: portal.user?.username, self: data.username };`,
  );
  assert.deepEqual(signedIn, { user: ADMIN, self: ADMIN });
  t.diagnostic(`portal calls: ${(await portalCalls()).join(" ")}`);
});
