// A job killed mid-way and resumed at the next start, in the real window: a bulk role change
// against an embedded portal this test starts (slowed to 400 ms an answer, so the job is still
// sending when the app is killed with SIGKILL), the app started again (the session restored
// from the keychain), the notice of the job cut off, the resume's preview read against the
// portal, and the resume itself. Each step is checked in the portal's database and in the
// journal file: nothing applied twice, nothing lost.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { appBinary, launchApp, saveScreenshot, startDriver, startPortal, step } from "./lib/harness.mjs";
import { membersCount } from "./lib/members-page.mjs";
import { query, scalar } from "./lib/portal-db.mjs";
import { waitFor } from "./lib/webdriver.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const ADMIN = "resume_e2e_admin";
const PASSWORD = "Resume-e2e-pass-1";
const dataDir = mkdtempSync(join(tmpdir(), "memberdesk-resume-"));
const portalDb = join(dataDir, "portal.db");
const journal = join(dataDir, "app", "journal.sqlite");
let portal;
let driver;
let app;
let portalUrl;

before(async () => {
  ({ portal, url: portalUrl } = await startPortal([
    "--profile",
    "enterprise",
    "--data",
    portalDb,
    "--admin",
    `${ADMIN}:${PASSWORD}`,
    "--seed-users",
    "150",
    "--latency-ms",
    "400",
  ]));
  driver = await startDriver({
    env: {
      MEMBERDESK_DATA_DIR: join(dataDir, "app"),
      PATH: `${join(here, "lib/fake-browser")}:${process.env.PATH ?? ""}`,
      FAKE_BROWSER_USERNAME: ADMIN,
      FAKE_BROWSER_PASSWORD: PASSWORD,
      FAKE_BROWSER_LOG: join(dataDir, "browser.log"),
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

const everyone = async () =>
  waitFor("every member in the table", async () => ((await membersCount(app)) === "151 members" ? true : null), {
    timeoutMs: 120000,
  });

/** The app's own process (started by WebKitWebDriver), killed as a power cut would. */
function killApp() {
  const pids = execFileSync("pgrep", ["-f", `^${appBinary()}( |$)`], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map(Number);
  assert.ok(pids.length > 0, "the app runs");
  for (const pid of pids) process.kill(pid, "SIGKILL");
  step(`killed the app (${pids.join(", ")})`);
}

test("a bulk change killed mid-job is offered at the next start and resumed without sending anything twice", async () => {
  await app.byTestId("signin-portal-url");
  await app.replaceText("signin-portal-url", portalUrl);
  await waitFor("the sign-in button to take the typed values", async () =>
    app.execute("return !document.querySelector('[data-testid=signin-enterprise]').disabled"),
  );
  await app.activate('[data-testid="signin-enterprise"]');
  await everyone();

  // Every Publisher (built-in role) made a User: one request per member, 8 at a time.
  const publishers = query(portalDb, "SELECT username FROM users WHERE role = 'org_publisher' AND role_id IS NULL").map(([u]) => u);
  assert.ok(publishers.length >= 12, `the seed has Publishers (${publishers.length})`);
  const inList = JSON.stringify(publishers);
  const stillPublishers = () =>
    scalar(portalDb, "SELECT COUNT(*) FROM users WHERE role = 'org_publisher' AND username IN (SELECT value FROM json_each(?1))", [inList]);
  await app.chooseOption("members-filter-role", "org_publisher");
  await waitFor("the Publisher filter", async () => (await membersCount(app)) === `${publishers.length} of 151 members`);
  await app.activate('[data-testid="members-select-all"]');
  await waitFor("the selection", async () =>
    (await (await app.byTestId("members-selected-count")).text()).trim() === `${publishers.length} selected`,
  );
  await app.activate('[data-testid="bulk-open"]');
  await app.byTestId("bulk-panel");
  await app.chooseOption("bulk-target", "org_user");
  await waitFor("the summary", async () =>
    (await (await app.byTestId("bulk-summary")).text()).trim() === `Give ${publishers.length} members the role User.`,
  );
  await app.activate('[data-testid="bulk-check"]');
  await app.byTestId("bulk-preview", { timeoutMs: 60000 });
  await app.activate('[data-testid="bulk-apply"]');
  // Killed once the portal has taken some of the changes and the rest are still to come.
  await waitFor("the first changes to reach the portal", async () => stillPublishers() < publishers.length, {
    timeoutMs: 60000,
    intervalMs: 20,
  });
  killApp();
  const leftAtKill = stillPublishers();
  assert.ok(leftAtKill > 0, "the job was cut off before its end");
  await app.end();

  // The next start: the session comes back from the keychain, and the job is offered.
  app = await launchApp(driver);
  await everyone();
  const job = scalar(journal, "SELECT id FROM jobs WHERE kind = 'setRole' ORDER BY id DESC LIMIT 1");
  const notice = await app.byTestId("resume-notice", { timeoutMs: 30000 });
  assert.equal(await app.execute("return document.querySelector('[data-testid=resume-notice]').dataset.job"), String(job));
  assert.match(await notice.text(), new RegExp(`Job #${job} was cut off before it finished`));
  assert.equal(scalar(journal, "SELECT state FROM jobs WHERE id = ?1", [job]), "interrupted");
  await saveScreenshot(app, "resume-notice");

  await app.activate('[data-testid="resume-review"]');
  await app.byTestId("resume-panel");
  const summary = await waitFor("the resume's plan", async () => {
    const el = await app.execute("return document.querySelector('[data-testid=resume-summary]')?.textContent ?? null");
    return el ? el.trim() : null;
  }, { timeoutMs: 60000 });
  const verdicts = await app.execute(
    "return [...document.querySelectorAll('[data-testid=resume-item]')].map((e) => [e.dataset.member, e.dataset.verdict])",
  );
  const send = verdicts.filter(([, v]) => v === "send").map(([m]) => m);
  const applied = verdicts.filter(([, v]) => v === "applied").map(([m]) => m);
  assert.ok(send.length > 0, summary);
  assert.equal(send.length + applied.length, verdicts.length, `no conflict, nothing refused: ${summary}`);
  // What the portal still held as a Publisher is exactly what will be sent.
  const now = new Set(
    query(portalDb, "SELECT username FROM users WHERE role = 'org_publisher' AND username IN (SELECT value FROM json_each(?1))", [inList]).map(([u]) => u),
  );
  assert.deepEqual([...send].sort(), [...now].sort());
  await saveScreenshot(app, "resume-preview");

  await app.activate('[data-testid="resume-run"]');
  const report = await waitFor("the resume's outcome", async () => {
    const el = await app.execute("return document.querySelector('[data-testid=resume-report-summary]')?.textContent ?? null");
    return el ? el.trim() : null;
  }, { timeoutMs: 60000 });
  assert.equal(report, `${verdicts.length} done, 0 failed, 0 skipped (job #${job}).`);
  assert.equal(stillPublishers(), 0, "every Publisher is a User now: nothing lost");
  assert.equal(
    scalar(journal, "SELECT count(*) FROM changes WHERE job = ?1 AND outcome <> 'done'", [job]),
    0,
    "every change of the job is done",
  );
  assert.equal(scalar(journal, "SELECT state FROM jobs WHERE id = ?1", [job]), "finished");
  assert.equal(scalar(journal, "SELECT count(*) FROM jobs"), 1, "the resume is the same job, not a new one");
  await waitFor("the notice to go", async () => app.execute("return !document.querySelector('[data-testid=resume-notice]')"));
});
