// Licenses end to end in the real window: the Licenses view's figures against the demo
// portal's database, a line opening its holders in the members table, and a reclaim of idle
// seats checked in the portal. Controls whose handler swaps the screen or opens a panel are
// activated by a DOM click (see `activate` in lib/webdriver.mjs).
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { appAroundTests, saveScreenshot } from "./lib/harness.mjs";
import { membersCount } from "./lib/members-page.mjs";
import { query, scalar } from "./lib/portal-db.mjs";
import { waitFor } from "./lib/webdriver.mjs";

let app;
const dataDir = appAroundTests((started) => { app = started; }, { dataDirPrefix: "memberdesk-e2e-licenses-" });
const portalDb = join(dataDir, "demo", "demo-portal.db");

/** Every seat line the view shows: key -> { bought, assigned, free } as displayed. */
async function seatLines() {
  return app.execute(`
    return Object.fromEntries([...document.querySelectorAll('[data-testid=seat-line]')].map((row) => [
      row.dataset.key,
      {
        kind: row.dataset.kind,
        bought: row.querySelector('[data-testid=seat-bought]').textContent.trim(),
        assigned: row.querySelector('[data-testid=seat-assigned]').textContent.trim(),
        free: row.querySelector('[data-testid=seat-free]').textContent.trim(),
      },
    ]));
  `);
}

const number = (text) => Number(text.replace(/[^\d]/g, ""));

test("the Licenses view shows what the organization bought and holds, as the portal has it", async () => {
  await (await app.byTestId("signin-demo")).click();
  await waitFor("all members to be loaded", async () => (await membersCount(app)) === "501 members", { timeoutMs: 60000 });
  await app.activate('[data-testid="nav-licenses"]');
  const lines = await waitFor("the seat lines", async () => {
    const l = await seatLines();
    return Object.keys(l).length > 8 ? l : null;
  });
  // User types: every member holds one seat of their type.
  for (const [type, count] of query(portalDb, "SELECT user_license_type_id, COUNT(*) FROM users GROUP BY 1")) {
    assert.equal(number(lines[type].assigned), count, `${type} assigned`);
    const bought = scalar(portalDb, "SELECT max_users FROM user_type_seats WHERE type_id = ?1", [type]);
    assert.equal(number(lines[type].bought), bought, `${type} bought`);
  }
  assert.equal(number(lines.GISProfessionalAdvUT.free), 0, "Professional Plus is full");
  // Add-on licenses: holders per entitlement and what was bought.
  for (const [item, ent, num] of query(portalDb, "SELECT item_id, entitlement, num FROM listing_entitlements")) {
    const key = `${item}/${ent}`;
    const held = scalar(portalDb, "SELECT COUNT(*) FROM user_entitlements WHERE item_id = ?1 AND entitlement = ?2", [item, ent]);
    assert.equal(number(lines[key].assigned), held, `${key} assigned`);
    assert.equal(number(lines[key].bought), num, `${key} bought`);
  }
  await saveScreenshot(app, "licenses");
});

test("a license line opens its holders in the members table", async () => {
  const [item, ent] = query(portalDb, "SELECT item_id, entitlement FROM listing_entitlements WHERE entitlement = 'desktopStdN'")[0];
  const held = scalar(portalDb, "SELECT COUNT(*) FROM user_entitlements WHERE item_id = ?1 AND entitlement = ?2", [item, ent]);
  await app.activate(`[data-testid="seat-line"][data-key="${item}/${ent}"] [data-testid="seat-holders"]`);
  await waitFor("the holders", async () => (await membersCount(app)) === `${held} of 501 members`);
  // The members view was hidden: its table draws its rows once it has its height back.
  const shown = await waitFor("the holders' rows", async () => {
    const rows = await app.execute(
      "return [...document.querySelectorAll('[data-testid=members-row]')].map((r) => r.dataset.username)",
    );
    return rows.length > 0 ? rows : null;
  });
  const holders = new Set(
    query(portalDb, "SELECT username FROM user_entitlements WHERE item_id = ?1 AND entitlement = ?2", [item, ent]).map((r) => r[0]),
  );
  assert.ok(shown.length > 0 && shown.every((u) => holders.has(u)), "only holders are shown");
  await app.activate('[data-testid="members-clear-filters"]');
});

test("a reclaim revokes idle members' ArcGIS Pro and downgrades them to Viewer, and the portal agrees", async () => {
  await app.activate('[data-testid="nav-licenses"]');
  await app.byTestId("reclaim-open");
  await app.activate('[data-testid="reclaim-open"]');
  await app.byTestId("reclaim-form");
  await app.chooseOption("reclaim-days", "365");
  await app.activate('[data-testid="reclaim-from"][data-key="creatorUT"]');
  await app.chooseOption("reclaim-to", "viewerUT");
  await app.chooseOption("reclaim-role", "iAAAAAAAAAAAAAAA");
  const proKeys = query(portalDb, "SELECT item_id || '/' || entitlement FROM listing_entitlements WHERE entitlement LIKE 'desktop%'").map((r) => r[0]);
  for (const key of proKeys) await app.activate(`[data-testid="reclaim-license"][data-key="${key}"]`);
  await app.activate('[data-testid="reclaim-preview"]');
  const planned = await waitFor("the plan", async () => {
    const items = await app.execute(
      "return [...document.querySelectorAll('[data-testid=reclaim-item]')].map((e) => [e.dataset.username, e.dataset.kept])",
    );
    return items.length > 0 ? items : null;
  }, { timeoutMs: 30000 });
  const kept = planned.filter(([, k]) => k === "true").map(([u]) => u);
  assert.ok(kept.length > 3, `idle creators to reclaim (${kept.length})`);
  const freed = await app.execute(
    "return Object.fromEntries([...document.querySelectorAll('[data-testid=reclaim-freed-line]')].map((e) => [e.dataset.key, Number(e.dataset.count)]))",
  );
  assert.equal(freed.creatorUT, kept.length, "one Creator seat back per member kept");
  await saveScreenshot(app, "reclaim-preview");
  const creatorsBefore = scalar(portalDb, "SELECT COUNT(*) FROM users WHERE user_license_type_id = 'creatorUT'");
  await app.activate('[data-testid="reclaim-run"]');
  await app.byTestId("reclaim-report", { timeoutMs: 60000 });
  await saveScreenshot(app, "reclaim-report");
  for (const username of kept) {
    assert.equal(scalar(portalDb, "SELECT user_license_type_id FROM users WHERE username = ?1", [username]), "viewerUT", username);
    assert.equal(scalar(portalDb, "SELECT role_id FROM users WHERE username = ?1", [username]), "iAAAAAAAAAAAAAAA", username);
    assert.equal(
      scalar(portalDb, "SELECT COUNT(*) FROM user_entitlements WHERE username = ?1 AND entitlement LIKE 'desktop%'", [username]),
      0,
      `${username} holds no ArcGIS Pro level`,
    );
  }
  assert.equal(
    scalar(portalDb, "SELECT COUNT(*) FROM users WHERE user_license_type_id = 'creatorUT'"),
    creatorsBefore - kept.length,
  );
  // The seats that came back, as the view now counts them.
  const lines = await waitFor("the view to follow", async () => {
    const l = await seatLines();
    return l.creatorUT && number(l.creatorUT.assigned) === creatorsBefore - kept.length ? l : null;
  });
  assert.ok(lines);
});
