// The demo portal end to end: from the first screen into the demo organization, every member
// loaded into the cache, found by filters, opened in the panel; each step checked against the
// portal's own database. Two controls are activated by a DOM click (see `activate` in
// lib/webdriver.mjs for the WebKitWebDriver hang that forces it); the rest is real input.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchApp, saveScreenshot, startDriver } from "./lib/harness.mjs";
import { scalar } from "./lib/portal-db.mjs";
import { waitFor } from "./lib/webdriver.mjs";

const dataDir = mkdtempSync(join(tmpdir(), "memberdesk-e2e-"));
const portalDb = join(dataDir, "demo", "demo-portal.db");
let driver;
let app;

before(async () => {
  driver = await startDriver({ env: { MEMBERDESK_DATA_DIR: dataDir } });
  app = await launchApp(driver);
});

after(async () => {
  await app?.end();
  await driver?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function countText() {
  return (await (await app.byTestId("members-count")).text()).trim();
}

test("the demo portal opens from the first screen and loads every member", async () => {
  await saveScreenshot(app, "sign-in");
  await (await app.byTestId("signin-demo")).click();
  const text = await waitFor("all members to be loaded", async () => {
    const t = await countText();
    return /^\d[\d,]* members$/.test(t) ? t : null;
  }, { timeoutMs: 60000 });
  const inPortal = scalar(portalDb, "SELECT COUNT(*) FROM users");
  assert.equal(inPortal, 501, "500 seeded members and the administrator");
  assert.equal(text, `${inPortal} members`);
  await saveScreenshot(app, "members");
});

test("the status filter narrows to the disabled members the portal has", async () => {
  await (await app.byTestId("members-status-disabled")).click();
  const disabled = scalar(portalDb, "SELECT COUNT(*) FROM users WHERE disabled = 1");
  assert.ok(disabled > 0, "the seed disables a few members");
  await waitFor("the disabled count", async () => (await countText()) === `${disabled} of 501 members`);
});

test("a member opens in the panel with the portal's values", async () => {
  const row = await app.find('[data-testid="members-row"]');
  const username = await row.attribute("data-username");
  await app.activate('[data-testid="members-row"] td');
  const panel = await app.byTestId("member-panel");
  assert.ok(await panel.displayed());
  const email = (await (await app.byTestId("member-field-email")).text()).trim();
  assert.equal(email, scalar(portalDb, "SELECT email FROM users WHERE username = ?1", [username]));
  const status = (await (await app.byTestId("member-field-status")).text()).trim();
  assert.equal(status, "Disabled");
  await saveScreenshot(app, "member-panel");
  await app.activate('[data-testid="members-clear-filters"]');
  await waitFor("the filters to clear", async () => (await countText()) === "501 members");
});

test("a text filter shows exactly the members the portal has with that text", async () => {
  const word = "smith";
  const like = `%${word}%`;
  const expected = scalar(
    portalDb,
    "SELECT COUNT(*) FROM users WHERE lower(username) LIKE ?1 OR lower(full_name) LIKE ?1 OR lower(email) LIKE ?1",
    [like],
  );
  assert.ok(expected > 0 && expected < 501, `the seed has some ${word}s (${expected})`);
  await (await app.byTestId("members-filter-text")).click();
  await app.keys(word);
  await waitFor(`the count for "${word}"`, async () => (await countText()) === `${expected} of 501 members`);
  const rows = await app.findAll('[data-testid="members-row"]');
  assert.ok(rows.length > 0 && rows.length <= expected);
  for (const row of rows.slice(0, 5)) {
    const username = await row.attribute("data-username");
    const hit = scalar(
      portalDb,
      "SELECT COUNT(*) FROM users WHERE username = ?1 AND (lower(username) LIKE ?2 OR lower(full_name) LIKE ?2 OR lower(email) LIKE ?2)",
      [username, like],
    );
    assert.equal(hit, 1, `${username} has "${word}"`);
  }
  await saveScreenshot(app, "members-filtered");
});

test("an edit saved in the panel is what the portal holds", async () => {
  const row = await app.find('[data-testid="members-row"]');
  const username = await row.attribute("data-username");
  await app.activate('[data-testid="members-row"] td');
  await app.activate('[data-testid="member-edit"]');
  await app.byTestId("member-form");
  await app.replaceText("member-form-first-name", "Grace");
  await app.replaceText("member-form-last-name", "Hopper");
  await app.replaceText("member-form-description", "<img src=x onerror=alert(1)> stays text");
  await saveScreenshot(app, "member-edit");
  await app.activate('[data-testid="member-form-save"]');
  await app.byTestId("member-saved", { timeoutMs: 20000 });
  const [fullName, description] = [
    scalar(portalDb, "SELECT full_name FROM users WHERE username = ?1", [username]),
    scalar(portalDb, "SELECT description FROM users WHERE username = ?1", [username]),
  ];
  assert.equal(fullName, "Grace Hopper");
  assert.equal(description, "<img src=x onerror=alert(1)> stays text");
  const shown = (await (await app.byTestId("member-description")).text()).trim();
  assert.equal(shown, description, "the description is shown as text, not markup");
  const images = await app.execute("return document.querySelectorAll('[data-testid=member-panel] img').length");
  assert.equal(images, 0);
  const inTable = await app.execute(
    "return document.querySelector('[data-username=\"' + arguments[0] + '\"] td:nth-child(2)').textContent",
    [username],
  );
  assert.equal(inTable, "Grace Hopper", "the table shows the saved name");
});

test("signing out returns to the first screen", async () => {
  await (await app.byTestId("sign-out")).click();
  await app.byTestId("signin-demo");
});
