// Export end to end, through the OS save dialog: the members the table shows (a filter) are
// written where the person says in GTK's file chooser (answered here with xdotool, as a person
// would type a path and press Enter), and the file holds exactly the members the portal has
// with that text. Cancelling the dialog writes nothing and says nothing went wrong.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { appAroundTests, saveScreenshot, step } from "./lib/harness.mjs";
import { membersCount } from "./lib/members-page.mjs";
import { query } from "./lib/portal-db.mjs";
import { waitFor } from "./lib/webdriver.mjs";

let app;
const dataDir = appAroundTests((started) => { app = started; }, { dataDirPrefix: "memberdesk-export-" });
const portalDb = join(dataDir, "demo", "demo-portal.db");

const xdotool = (...args) => execFileSync("xdotool", args, { encoding: "utf8" }).trim();

/** The save dialog's window, once GTK has mapped it. */
async function saveDialog() {
  return waitFor("the save dialog", async () => {
    try {
      return xdotool("search", "--onlyvisible", "--name", "^Export members$").split("\n")[0] || null;
    } catch {
      return null; // not there yet: xdotool exits 1
    }
  }, { timeoutMs: 20000 });
}

/** Parses the CSV the app wrote (its cells are quoted where needed). */
function rows(text) {
  const out = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\n") { row.push(cell.replace(/\r$/, "")); out.push(row); row = []; cell = ""; }
    else cell += c;
  }
  if (cell !== "" || row.length > 0) { row.push(cell); out.push(row); }
  return out;
}

test("the members a filter shows are exported through the OS save dialog to the file chosen", async () => {
  await (await app.byTestId("signin-demo")).click();
  await waitFor("all members to be loaded", async () => /^\d[\d,]* members$/.test(await membersCount(app)), { timeoutMs: 60000 });
  const text = "allen";
  await app.replaceText("members-filter-text", text);
  const expected = query(
    portalDb,
    "SELECT username FROM users WHERE lower(username) LIKE ?1 OR lower(full_name) LIKE ?1 OR lower(email) LIKE ?1 ORDER BY username",
    [`%${text}%`],
  ).map(([u]) => u);
  assert.ok(expected.length > 1, `the seed has members with "${text}"`);
  await waitFor("the filter", async () => (await membersCount(app)).startsWith(`${expected.length} of `));

  // Cancelled: nothing written, no error.
  await app.activate('[data-testid="members-export"]');
  let dialog = await saveDialog();
  xdotool("windowfocus", "--sync", dialog);
  xdotool("key", "--clearmodifiers", "Escape");
  await waitFor("the export to be given up", async () =>
    app.execute("return !document.querySelector('[data-testid=members-export]').loading"));
  assert.equal(await app.execute("return !!document.querySelector('[data-testid=members-export-error]')"), false);

  // Saved: the path typed into the dialog's name field, then Enter.
  const target = join(dataDir, "allen members.csv");
  await app.activate('[data-testid="members-export"]');
  dialog = await saveDialog();
  step(`save dialog ${dialog}`);
  xdotool("windowfocus", "--sync", dialog);
  xdotool("key", "--clearmodifiers", "ctrl+a");
  xdotool("type", "--delay", "20", target);
  xdotool("key", "--clearmodifiers", "Return");
  const notice = await waitFor("the export's notice", async () => {
    const t = await app.execute("return document.querySelector('[data-testid=members-deleted]')?.textContent ?? ''");
    return t.includes("exported to") ? t.trim() : null;
  }, { timeoutMs: 20000 });
  assert.equal(notice, `${expected.length} members exported to ${target}.`);
  await saveScreenshot(app, "export-done");
  assert.ok(existsSync(target));
  const [header, ...body] = rows(readFileSync(target, "utf8"));
  assert.equal(header[0], "Username");
  assert.deepEqual(body.map((r) => r[0]).sort(), expected);
});
