// Updates in the real window, against a local HTTP server that plays the release host: the
// check at start finds a newer version and offers it (its notes inert), nothing is downloaded
// before Install, and a package whose signature does not verify against the key built into
// the app is refused with the reason and nothing installed. A restart within the day does not
// check again. (A correctly signed update needs the release's private key, which is not in the
// repository: tests/app/updates.rs covers that case with a key of its own.)
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchApp, saveScreenshot, startDriver } from "./lib/harness.mjs";
import { waitFor } from "./lib/webdriver.mjs";

const dataDir = mkdtempSync(join(tmpdir(), "memberdesk-updates-"));
const requests = [];
let server;
let base;
let driver;
let app;

const PACKAGE = Buffer.from("!<arch>\nnot the release's package: its signature cannot verify");
const NOTES = "Faster loads.\n<img src=x onerror=alert(1)>";

function manifest() {
  const entry = { signature: "", url: `${base}/memberdesk.deb` };
  const targets = ["linux-x86_64", "linux-x86_64-deb", "linux-x86_64-rpm", "linux-x86_64-appimage"];
  return JSON.stringify({
    version: "9.9.9",
    notes: NOTES,
    pub_date: "2026-12-01T12:00:00Z",
    platforms: Object.fromEntries(targets.map((t) => [t, entry])),
  });
}

before(async () => {
  server = createServer((req, res) => {
    requests.push(req.url);
    if (req.url === "/latest.json") {
      res.writeHead(200, { "content-type": "application/json" }).end(manifest());
    } else if (req.url === "/memberdesk.deb") {
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(PACKAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${server.address().port}`;
  driver = await startDriver({
    env: { MEMBERDESK_DATA_DIR: join(dataDir, "app"), MEMBERDESK_UPDATE_ENDPOINT: `${base}/latest.json` },
  });
  app = await launchApp(driver);
});

after(async () => {
  await app?.end();
  await driver?.stop();
  server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const count = (path) => requests.filter((r) => r === path).length;

test("the check at start offers the newer version, with its notes as text, and downloads nothing", async () => {
  const offer = await waitFor("the update offer", async () =>
    app.execute("return document.querySelector('[data-testid=update-offer]')?.textContent || null"),
  );
  assert.match(offer, /Memberdesk 9\.9\.9 is available/);
  assert.match(offer, /You have version \d+\.\d+\.\d+/);
  const notes = await app.execute(
    "const n = document.querySelector('[data-testid=update-notes]'); return [n.textContent, n.querySelectorAll('img').length];",
  );
  assert.deepEqual(notes, [NOTES, 0], "the release notes are text, never markup");
  assert.equal(count("/latest.json"), 1);
  assert.equal(count("/memberdesk.deb"), 0, "nothing downloaded before the administrator says yes");
  await saveScreenshot(app, "update-offer");
});

test("a package whose signature does not verify is refused, and nothing is installed", async () => {
  await app.activate('[data-testid="update-install"]');
  const refused = await waitFor("the refusal", async () =>
    app.execute("return document.querySelector('[data-testid=update-error]')?.textContent || null"),
  );
  assert.match(refused, /The update was refused: its signature does not match Memberdesk's key/);
  assert.match(refused, /Nothing was installed\./);
  assert.equal(count("/memberdesk.deb"), 1, "downloaded once, after Install");
  await saveScreenshot(app, "update-refused");
});

const skipped = () => {
  const file = join(process.env.MEMBERDESK_LOG_DIR ?? "", "memberdesk.log");
  return existsSync(file) ? readFileSync(file, "utf8").split("updates: not checking at start").length - 1 : 0;
};

test("a restart within the day does not check again", async () => {
  const skippedBefore = skipped();
  await app.end();
  app = await launchApp(driver);
  await app.byTestId("signin-demo");
  // The app says in its log that it decided not to check (MEMBERDESK_LOG_DIR, from session.sh).
  await waitFor("the decision not to check", async () => skipped() > skippedBefore);
  assert.equal(count("/latest.json"), 1);
  assert.equal(await app.execute("return document.querySelector('[data-testid=update-offer]') === null"), true);
});

test("Check now in About asks again and says what it found", async () => {
  await app.activate('[data-testid="about-open"]');
  await app.byTestId("about-update-check");
  await app.activate('[data-testid="about-update-check"]');
  const result = await waitFor("the result of the check", async () =>
    app.execute("return document.querySelector('[data-testid=about-update-result]')?.textContent || null"),
  );
  assert.match(result, /Version 9\.9\.9 is available/);
  assert.equal(count("/latest.json"), 2);
  await saveScreenshot(app, "about-updates");
});
