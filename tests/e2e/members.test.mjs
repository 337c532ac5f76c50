// The demo portal end to end: from the first screen into the demo organization, every member
// loaded into the cache, found by filters, opened in the panel; each step checked against the
// portal's own database. Controls whose handler opens a panel, refills the table or swaps the
// screen are activated by a DOM click (see `activate` in lib/webdriver.mjs for the
// WebKitWebDriver hang that forces it); typing and the other clicks are real input.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { appAroundTests, saveScreenshot } from "./lib/harness.mjs";
import { editFirstMember, membersCount } from "./lib/members-page.mjs";
import { query, scalar } from "./lib/portal-db.mjs";
import { waitFor } from "./lib/webdriver.mjs";

let app;
const dataDir = appAroundTests((started) => { app = started; }, { dataDirPrefix: "memberdesk-e2e-" });
const portalDb = join(dataDir, "demo", "demo-portal.db");

test("the demo portal opens from the first screen and loads every member", async () => {
  await saveScreenshot(app, "sign-in");
  await (await app.byTestId("signin-demo")).click();
  const text = await waitFor("all members to be loaded", async () => {
    const t = await membersCount(app);
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
  await waitFor("the disabled count", async () => (await membersCount(app)) === `${disabled} of 501 members`);
});

test("a member opens in the panel with the portal's values", async () => {
  const row = await app.find('[data-testid="members-row"]');
  const username = await row.attribute("data-username");
  await app.activate('[data-testid="members-row"] td[data-column="username"]');
  const panel = await app.byTestId("member-panel");
  assert.ok(await panel.displayed());
  const email = (await (await app.byTestId("member-field-email")).text()).trim();
  assert.equal(email, scalar(portalDb, "SELECT email FROM users WHERE username = ?1", [username]));
  const status = (await (await app.byTestId("member-field-status")).text()).trim();
  assert.equal(status, "Disabled");
  await saveScreenshot(app, "member-panel");
  await app.activate('[data-testid="members-clear-filters"]');
  await waitFor("the filters to clear", async () => (await membersCount(app)) === "501 members");
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
  await waitFor(`the count for "${word}"`, async () => (await membersCount(app)) === `${expected} of 501 members`);
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
  const username = await editFirstMember(app, { beforeSave: () => saveScreenshot(app, "member-edit") });
  const [fullName, description] = [
    scalar(portalDb, "SELECT full_name FROM users WHERE username = ?1", [username]),
    scalar(portalDb, "SELECT description FROM users WHERE username = ?1", [username]),
  ];
  assert.equal(fullName, "Grace Hopper");
  assert.equal(description, "<img src=x onerror=alert(1)> stays text");
  assert.equal(scalar(portalDb, "SELECT assigned_credits FROM users WHERE username = ?1", [username]), 120);
  const shown = (await (await app.byTestId("member-description")).text()).trim();
  assert.equal(shown, description, "the description is shown as text, not markup");
  const images = await app.execute("return document.querySelectorAll('[data-testid=member-panel] img').length");
  assert.equal(images, 0);
  const inTable = await app.execute(
    "return document.querySelector('[data-username=\"' + arguments[0] + '\"] td[data-column=fullName]').textContent",
    [username],
  );
  assert.equal(inTable, "Grace Hopper", "the table shows the saved name");
});

test("a bulk role change is previewed with its refusals named, then only the members that can change are sent", async () => {
  await app.activate('[data-testid="members-clear-filters"]');
  await waitFor("the filters to clear", async () => (await membersCount(app)) === "501 members");
  // Every member with the User role: Creators may become Publishers, other user types may not.
  await app.chooseOption("members-filter-role", "org_user");
  const users = scalar(portalDb, "SELECT COUNT(*) FROM users WHERE role = 'org_user' AND role_id IS NULL");
  assert.ok(users > 5, `the seed has members with the User role (${users})`);
  await waitFor("the User role filter", async () => (await membersCount(app)) === `${users} of 501 members`);
  const typeOf = new Map(
    JSON.parse(
      scalar(
        portalDb,
        "SELECT json_group_array(json_array(username, user_license_type_id)) FROM users WHERE role = 'org_user' AND role_id IS NULL",
      ),
    ),
  );
  const allowsPublisher = new Set(["creatorUT", "GISProfessionalBasicUT", "GISProfessionalStdUT", "GISProfessionalAdvUT"]);
  await app.activate('[data-testid="members-select-all"]');
  await waitFor("the selection", async () =>
    (await (await app.byTestId("members-selected-count")).text()).trim() === `${users} selected`,
  );
  await app.activate('[data-testid="bulk-open"]');
  await app.byTestId("bulk-panel");
  await app.chooseOption("bulk-target", "org_publisher");
  await waitFor("the summary", async () =>
    (await (await app.byTestId("bulk-summary")).text()).trim() === `Give ${users} members the role Publisher.`,
  );
  await saveScreenshot(app, "bulk-change");
  await app.activate('[data-testid="bulk-check"]');
  await app.byTestId("bulk-preview", { timeoutMs: 30000 });
  // The preview names each refusal and its reason before anything is sent.
  const listed = async () =>
    app.execute(
      "return [...document.querySelectorAll('[data-testid=bulk-plan-item]')].map((e) => [e.dataset.username, e.dataset.verdict, e.textContent])",
    );
  const refused = await waitFor("the refused members", async () => {
    const l = await listed();
    return l.length > 0 && l.every(([, v]) => v === "refused") ? l : null;
  });
  for (const [username, , text] of refused) {
    assert.ok(!allowsPublisher.has(typeOf.get(username)), `${username} (${typeOf.get(username)}) is refused`);
    assert.match(text, /does not allow Publisher/);
  }
  const expectedRefused = [...typeOf.values()].filter((t) => !allowsPublisher.has(t)).length;
  assert.equal(refused.length, expectedRefused, "every member whose user type refuses Publisher, and only they");
  const summary = (await (await app.byTestId("bulk-plan-summary")).text()).trim();
  assert.match(summary, new RegExp(`${users} selected: ${users - expectedRefused} will change`));
  await saveScreenshot(app, "bulk-preview");
  assert.equal(
    scalar(portalDb, "SELECT COUNT(*) FROM users WHERE role = 'org_publisher' AND username IN (SELECT value FROM json_each(?1))", [
      JSON.stringify([...typeOf.keys()]),
    ]),
    0,
    "nothing was sent for the preview",
  );
  await app.activate('[data-testid="bulk-apply"]');
  await app.byTestId("bulk-results", { timeoutMs: 60000 });
  await app.activate('[data-testid="bulk-show-all"]');
  const outcomes = await waitFor("every member's outcome", async () => {
    const list = await app.execute(
      "return [...document.querySelectorAll('[data-testid=bulk-result]')].map((e) => [e.dataset.username, e.dataset.outcome])",
    );
    return list.length === users - expectedRefused ? list : null;
  });
  await saveScreenshot(app, "bulk-results");
  assert.ok(outcomes.every(([, o]) => o === "done"), "the members that could change did");
  const result = (await (await app.byTestId("bulk-summary-result")).text()).trim();
  assert.equal(result, `${outcomes.length} done, 0 failed, 0 skipped.`);
  for (const [username, type] of typeOf) {
    const role = scalar(portalDb, "SELECT role FROM users WHERE username = ?1", [username]);
    assert.equal(role, allowsPublisher.has(type) ? "org_publisher" : "org_user", username);
  }
  // The table follows the portal: the User role filter now shows only the refused members.
  await waitFor("the table to follow", async () => (await membersCount(app)) === `${expectedRefused} of 501 members`);
  await app.activate('[data-testid="bulk-close"]');
  await app.activate('[data-testid="members-clear-selection"]');
  await app.activate('[data-testid="members-clear-filters"]');
});

test("the History view shows the bulk change as the journal recorded it and the portal holds it", async () => {
  const journal = join(dataDir, "journal.sqlite");
  const job = scalar(journal, "SELECT max(id) FROM jobs WHERE kind = 'setRole'");
  const sent = scalar(journal, "SELECT count(*) FROM changes WHERE job = ?1 AND outcome = 'done'", [job]);
  assert.ok(sent > 0, "the bulk change is in the journal file");
  assert.equal(scalar(journal, "SELECT count(*) FROM changes WHERE job = ?1 AND outcome <> 'done'", [job]), 0);
  await app.activate('[data-testid="nav-history"]');
  await app.byTestId("history-page");
  const jobRow = await waitFor("the bulk job", async () => {
    const rows = await app.execute(
      "return [...document.querySelectorAll('[data-testid=job-row]')].map((e) => [e.dataset.job, e.textContent])",
    );
    return rows.find(([id]) => Number(id) === job) ?? null;
  });
  assert.match(jobRow[1], new RegExp(`Role → Publisher, ${sent} members`));
  assert.match(jobRow[1], new RegExp(`${sent} done`));
  await app.activate(`[data-testid="job-row"][data-job="${job}"]`);
  await waitFor("the job's changes", async () =>
    (await (await app.byTestId("history-count")).text()).trim() === `${sent} changes`,
  );
  const shown = await app.execute(
    "return [...document.querySelectorAll('[data-testid=change-row]')].map((e) => [e.dataset.member, e.dataset.field, e.dataset.outcome, e.textContent])",
  );
  assert.ok(shown.length > 0);
  for (const [member, field, outcome, text] of shown) {
    assert.equal(field, "role");
    assert.equal(outcome, "done");
    assert.match(text, /User.*Publisher/);
    assert.equal(scalar(portalDb, "SELECT role FROM users WHERE username = ?1", [member]), "org_publisher", member);
  }
  await saveScreenshot(app, "history");
  await app.activate('[data-testid="nav-members"]');
});

test("undo in the History view previews one change against the portal, then sets it back there", async () => {
  const journal = join(dataDir, "journal.sqlite");
  const job = scalar(journal, "SELECT max(id) FROM jobs WHERE kind = 'setRole'");
  await app.activate('[data-testid="nav-history"]');
  await app.byTestId("history-page");
  await app.activate(`[data-testid="job-row"][data-job="${job}"]`);
  // A change that reached the portal offers Undo….
  const member = await waitFor("a change of the job", async () => {
    const rows = await app.execute(
      "return [...document.querySelectorAll('[data-testid=change-row]')].filter((e) => e.querySelector('[data-testid=change-undo]')).map((e) => e.dataset.member)",
    );
    return rows[0] ?? null;
  });
  const changeId = scalar(journal, "SELECT id FROM changes WHERE job = ?1 AND member = ?2", [job, member]);
  assert.ok(changeId, `${member}'s change is in the journal`);
  await app.activate(`[data-testid="change-row"][data-member="${member}"] [data-testid="change-undo"]`);
  await app.byTestId("undo-panel");
  await waitFor("the undo's plan", async () =>
    (await (await app.byTestId("undo-summary", { timeoutMs: 20000 })).text()).trim() === "1 change will be set back.",
  );
  const action = (await (await app.byTestId("undo-action")).text()).trim();
  assert.equal(action, "Publisher → User");
  assert.equal(scalar(portalDb, "SELECT role FROM users WHERE username = ?1", [member]), "org_publisher", "the plan sent nothing");
  await saveScreenshot(app, "undo-preview");
  await app.activate('[data-testid="undo-run"]');
  const report = await waitFor("the undo's outcome", async () => {
    const el = await app.execute("return document.querySelector('[data-testid=undo-report-summary]')?.textContent ?? null");
    return el ? el.trim() : null;
  }, { timeoutMs: 30000 });
  assert.match(report, /^1 undone, 0 failed, 0 skipped \(job #\d+\)\.$/);
  assert.equal(scalar(portalDb, "SELECT role FROM users WHERE username = ?1", [member]), "org_user", "the portal holds the role back");
  const others = scalar(
    journal,
    "SELECT count(*) FROM changes WHERE job = ?1 AND member <> ?2 AND outcome = 'done'",
    [job, member],
  );
  assert.ok(others > 0);
  assert.equal(
    scalar(journal, "SELECT count(*) FROM jobs WHERE kind = 'undo' AND undo_of = ?1 AND state = 'finished'", [job]),
    1,
    "the undo is a job of its own, recorded with the job it undoes",
  );
  await app.activate('[data-testid="undo-close"]');
  await app.activate('[data-testid="nav-members"]');
});

test("a member created with a password, or emailed a link to set one, is in the portal at once", async () => {
  await app.activate('[data-testid="create-open"]');
  await app.byTestId("create-panel");
  const usernameStatus = async () => (await (await app.byTestId("create-username-status")).text()).trim();
  await app.replaceText("create-username", "demo_admin");
  await waitFor("the taken name to be reported", async () => (await usernameStatus()).startsWith("Taken."));
  await app.replaceText("create-username", "ghopper_e2e");
  await waitFor("the name to be free", async () => (await usernameStatus()) === "Available");
  await app.replaceText("create-password", "cobol1959navy");
  await app.replaceText("create-first-name", "Grace");
  await app.replaceText("create-last-name", "Hopper");
  await app.replaceText("create-email", "grace@example.com");
  await app.chooseOption("create-role", "org_publisher");
  await saveScreenshot(app, "create-member");
  await app.activate('[data-testid="create-submit"]');
  await waitFor("the new member's panel", async () => {
    const field = await app.execute("return document.querySelector('[data-testid=member-field-username]')?.textContent ?? null");
    return field === "ghopper_e2e";
  }, { timeoutMs: 20000 });
  assert.equal(
    scalar(portalDb, "SELECT role || ' ' || user_license_type_id || ' ' || full_name FROM users WHERE username = 'ghopper_e2e'"),
    "org_publisher creatorUT Grace Hopper",
  );
  await waitFor("the count to include her", async () => (await membersCount(app)) === "502 members");

  await app.activate('[data-testid="create-open"]');
  await app.byTestId("create-panel");
  await (await app.byTestId("create-mode-email")).click();
  await app.replaceText("create-username", "kjohnson_e2e");
  await waitFor("the name to be free", async () => (await usernameStatus()) === "Available");
  await app.replaceText("create-first-name", "Katherine");
  await app.replaceText("create-last-name", "Johnson");
  await app.replaceText("create-email", "katherine@example.com");
  await app.activate('[data-testid="create-submit"]');
  await app.byTestId("create-emailed", { timeoutMs: 20000 });
  assert.equal(
    scalar(portalDb, "SELECT COUNT(*) FROM users WHERE username = 'kjohnson_e2e' AND email = 'katherine@example.com' AND password_hash IS NULL"),
    1,
    "a member at once, with no password yet",
  );
  assert.equal(
    scalar(portalDb, "SELECT COUNT(*) FROM outbox WHERE to_address = 'katherine@example.com' AND link LIKE '%/sharing/invitation/accept?%'"),
    1,
    "emailed a link to set the password",
  );
  assert.equal(scalar(portalDb, "SELECT COUNT(*) FROM invitations WHERE kind = 'org' AND username = 'kjohnson_e2e'"), 0, "not an invitation to join");
  await waitFor("the count to include her", async () => (await membersCount(app)) === "503 members");
  await app.activate('[data-testid="create-cancel"]');
});

async function invitationCountText() {
  return (await (await app.byTestId("invitations-count")).text()).trim();
}

test("the invitations view lists the portal's open invitations; one withdrawn is gone from the portal", async () => {
  await app.activate('[data-testid="nav-invitations"]');
  await app.byTestId("invitations-page");
  const open = scalar(portalDb, "SELECT COUNT(*) FROM invitations WHERE kind = 'org' AND accepted = 0");
  assert.ok(open > 3, `the seed has open invitations (${open})`);
  await waitFor("every invitation", async () => (await invitationCountText()) === `${open} invitations`, {
    timeoutMs: 20000,
  });
  const expired = scalar(
    portalDb,
    "SELECT COUNT(*) FROM invitations WHERE kind = 'org' AND accepted = 0 AND expiration <= CAST(strftime('%s','now') AS INTEGER) * 1000",
  );
  assert.ok(expired > 0, "the seed has expired invitations");
  await app.activate('[data-testid="invitations-state-expired"]');
  await waitFor("the expired ones", async () => (await invitationCountText()) === `${expired} of ${open} invitations`);
  const states = await app.execute(
    "return [...document.querySelectorAll('[data-testid=invitation-state]')].map((e) => e.textContent)",
  );
  assert.ok(states.length === expired && states.every((s) => s === "Expired"), JSON.stringify(states));
  await saveScreenshot(app, "invitations");

  const row = await app.find('[data-testid="invitation-row"]');
  const id = await row.attribute("data-id");
  assert.equal(scalar(portalDb, "SELECT COUNT(*) FROM invitations WHERE id = ?1", [id]), 1);
  await app.activate(`[data-id="${id}"] [data-testid="invitation-delete"]`);
  await app.activate(`[data-id="${id}"] [data-testid="invitation-delete-confirm"]`);
  await app.byTestId("invitations-notice", { timeoutMs: 20000 });
  assert.equal(scalar(portalDb, "SELECT COUNT(*) FROM invitations WHERE id = ?1", [id]), 0, "withdrawn in the portal");
  await waitFor("the list to follow", async () =>
    (await invitationCountText()) === `${expired - 1} of ${open - 1} invitations`,
  );
});

test("an expired invitation sent again is a new pending one in the portal", async () => {
  const row = await app.find('[data-testid="invitation-row"]');
  const id = await row.attribute("data-id");
  const email = scalar(portalDb, "SELECT email FROM invitations WHERE id = ?1", [id]);
  await app.activate(`[data-id="${id}"] [data-testid="invitation-again"]`);
  await app.byTestId("invitations-notice", { timeoutMs: 20000 });
  assert.equal(scalar(portalDb, "SELECT COUNT(*) FROM invitations WHERE id = ?1", [id]), 0, "the expired one is replaced");
  const fresh = scalar(
    portalDb,
    "SELECT COUNT(*) FROM invitations WHERE kind = 'org' AND email = ?1 AND username IS NULL AND accepted = 0 AND expiration > (CAST(strftime('%s','now') AS INTEGER) + 13 * 86400) * 1000",
    [email],
  );
  assert.equal(fresh, 1, `${email} has a new invitation to join, with a 14-day link`);
  await app.activate('[data-testid="nav-members"]');
  await waitFor("the members view", async () => (await app.byTestId("members-count")).displayed());
});

test("a member added to a group in the groups view is in the portal's group; one removed is gone", async () => {
  await app.activate('[data-testid="nav-groups"]');
  await app.byTestId("groups-page");
  const groups = scalar(portalDb, "SELECT COUNT(*) FROM groups");
  await waitFor("every group", async () =>
    (await (await app.byTestId("groups-count")).text()).trim() === `${groups} of ${groups} groups`, { timeoutMs: 20000 });
  const row = await app.find('[data-testid="group-row"]');
  const id = await row.attribute("data-id");
  const count = () => scalar(portalDb, "SELECT COUNT(*) FROM group_members WHERE group_id = ?1", [id]);
  const before = count();
  const shownCount = await app.execute(
    "return document.querySelector('[data-id=\"' + arguments[0] + '\"] [data-testid=group-row-count]').textContent",
    [id],
  );
  assert.equal(shownCount, `${before} ${before === 1 ? "member" : "members"}`);
  await app.activate(`[data-testid="group-row"][data-id="${id}"]`);
  await waitFor("the group's members", async () =>
    (await app.findAll('[data-testid="group-member"]')).length === before, { timeoutMs: 20000 });
  const outsider = scalar(
    portalDb,
    "SELECT username FROM users WHERE disabled = 0 AND username NOT IN (SELECT username FROM group_members WHERE group_id = ?1) ORDER BY username LIMIT 1",
    [id],
  );
  await app.replaceText("group-add-text", outsider);
  await app.activate(`[data-testid="group-add-suggestion"][data-username="${outsider}"]`);
  await app.byTestId("group-notice", { timeoutMs: 20000 });
  assert.equal(scalar(portalDb, "SELECT COUNT(*) FROM group_members WHERE group_id = ?1 AND username = ?2", [id, outsider]), 1);
  assert.equal(count(), before + 1);
  await waitFor("the new member in the list", async () =>
    (await app.findAll(`[data-testid="group-member"][data-username="${outsider}"]`)).length === 1);
  await saveScreenshot(app, "groups");
  await app.activate(`[data-testid="group-member"][data-username="${outsider}"] [data-testid="group-member-remove"]`);
  await app.activate(`[data-testid="group-member"][data-username="${outsider}"] [data-testid="group-member-remove-confirm"]`);
  await waitFor("the portal to drop the member", async () => count() === before, { timeoutMs: 20000 });
  await app.activate('[data-testid="nav-members"]');
});

test("a last-login range shows exactly the members the portal has signed in between those days", async () => {
  const total = scalar(portalDb, "SELECT COUNT(*) FROM users");
  await app.activate('[data-testid="members-clear-filters"]');
  await waitFor("the filters to clear", async () => (await membersCount(app)) === `${total} members`);
  await app.chooseOption("members-filter-last-login", "range");
  await app.byTestId("members-filter-login-from");
  // The day inputs take a value as the date picker gives it: `input`, then `change`.
  for (const [testId, day] of [["members-filter-login-from", "2025-01-01"], ["members-filter-login-to", "2025-12-31"]]) {
    const set = await app.execute(
      `const input = document.querySelector('[data-testid="' + arguments[0] + '"]').shadowRoot.querySelector("input");
       input.value = arguments[1];
       input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
       input.dispatchEvent(new Event("change", { bubbles: true }));
       return input.value;`,
      [testId, day],
    );
    assert.equal(set, day);
  }
  const expected = scalar(
    portalDb,
    "SELECT COUNT(*) FROM users WHERE last_login >= ?1 AND last_login < ?2",
    [new Date(2025, 0, 1).getTime(), new Date(2026, 0, 1).getTime()],
  );
  assert.ok(expected > 0 && expected < total, `some members last signed in during 2025 (${expected})`);
  await waitFor("the range's count", async () => (await membersCount(app)) === `${expected} of ${total} members`)
    .catch(async (e) => {
      const state = await app.execute(
        "return [document.querySelector('[data-testid=members-count]').textContent, document.querySelector('[data-testid=members-filter-login-from]').value, document.querySelector('[data-testid=members-filter-login-to]').value]",
      );
      throw new Error(`${e.message}: expected ${expected} of ${total}, shown ${JSON.stringify(state)}`);
    });
  await saveScreenshot(app, "members-login-range");
  await app.activate('[data-testid="members-clear-filters"]');
});

/** Shows the one member whose username is `username` and opens them in the panel. */
async function openMember(username) {
  await app.activate('[data-testid="members-clear-filters"]');
  await app.replaceText("members-filter-text", username);
  await waitFor(`${username}'s row`, async () =>
    (await app.execute(
      "return document.querySelector('.members').dataset.filterText === arguments[0] && !!document.querySelector('[data-testid=members-row][data-username=\"' + arguments[0] + '\"]')",
      [username],
    )));
  await app.activate(`[data-testid="members-row"][data-username="${username}"] td[data-column="username"]`);
  await waitFor(`${username}'s panel`, async () =>
    (await app.execute("return document.querySelector('[data-testid=member-panel] calcite-panel')?.description", [])) === username);
}

test("the group filter, the groups column and the member panel show the portal's memberships", async () => {
  const [id, title, members] = JSON.parse(scalar(
    portalDb,
    "SELECT json_array(g.id, g.title, COUNT(*)) FROM groups g JOIN group_members m ON m.group_id = g.id GROUP BY g.id ORDER BY COUNT(*) DESC LIMIT 1",
  ));
  const total = scalar(portalDb, "SELECT COUNT(*) FROM users");
  await app.activate('[data-testid="members-clear-filters"]');
  await waitFor("the filters to clear", async () => (await membersCount(app)) === `${total} members`);
  await app.chooseOption("members-filter-group", id);
  await waitFor(`the members of ${title}`, async () => (await membersCount(app)) === `${members} of ${total} members`);
  const cells = await app.execute(
    "return [...document.querySelectorAll('[data-testid=members-row] td[data-column=groups]')].map((td) => td.textContent)",
  );
  assert.ok(cells.length > 0 && cells.every((c) => c.includes(title)), `every row shown lists ${title}`);
  const username = await (await app.find('[data-testid="members-row"]')).attribute("data-username");
  await app.activate(`[data-testid="members-row"][data-username="${username}"] td[data-column="username"]`);
  const expected = JSON.parse(scalar(
    portalDb,
    "SELECT json_group_array(g.title) FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.username = ?1",
    [username],
  )).sort();
  const shown = await waitFor(`${username}'s groups in the panel`, async () => {
    const list = await app.execute("return [...document.querySelectorAll('[data-testid=member-group] > span')].map((s) => s.textContent)");
    return list.length === expected.length ? list : null;
  });
  assert.deepEqual([...shown].sort(), expected);
  await saveScreenshot(app, "member-groups");
  await app.activate('[data-testid="members-clear-filters"]');
});

test("a member disabled from the panel is disabled in the portal, and enabled again", async () => {
  const username = scalar(
    portalDb,
    "SELECT username FROM users WHERE disabled = 0 AND username <> 'demo_admin' ORDER BY username DESC LIMIT 1",
  );
  await openMember(username);
  const disabled = () => scalar(portalDb, "SELECT disabled FROM users WHERE username = ?1", [username]);
  await app.activate('[data-testid="member-toggle-disabled"]');
  await waitFor("the portal to disable the member", async () => disabled() === 1, { timeoutMs: 20000 });
  await waitFor("the panel's status", async () =>
    (await (await app.byTestId("member-field-status")).text()).trim() === "Disabled");
  await app.activate('[data-testid="member-toggle-disabled"]');
  await waitFor("the portal to enable the member", async () => disabled() === 0, { timeoutMs: 20000 });
  await waitFor("the panel's status", async () =>
    (await (await app.byTestId("member-field-status")).text()).trim() === "Active");
});

test("a group owner deleted with their groups given to another member is gone from the portal", async () => {
  const [owner, group] = JSON.parse(scalar(
    portalDb,
    "SELECT json_array(g.owner, g.id) FROM groups g JOIN users u ON u.username = g.owner WHERE g.owner <> 'demo_admin' ORDER BY g.owner LIMIT 1",
  ));
  const receiver = scalar(
    portalDb,
    "SELECT username FROM users WHERE disabled = 0 AND username NOT IN ('demo_admin', ?1) ORDER BY username LIMIT 1",
    [owner],
  );
  const owned = scalar(portalDb, "SELECT COUNT(*) FROM groups WHERE owner = ?1", [owner]);
  const total = scalar(portalDb, "SELECT COUNT(*) FROM users");
  await openMember(owner);
  await app.activate('[data-testid="member-delete-open"]');
  const summary = await waitFor("what deleting touches", async () => {
    const el = await app.find('[data-testid="member-delete-groups-owned"]');
    return (await el.text()).trim();
  }, { timeoutMs: 20000 });
  assert.match(summary, new RegExp(`^Owns ${owned} groups?: `));
  await app.replaceText("member-delete-to-text", receiver);
  await app.activate(`[data-testid="member-delete-to-suggestion"][data-username="${receiver}"]`);
  await app.byTestId("member-delete-receiver");
  await app.replaceText("member-delete-confirm-text", owner);
  await waitFor("the delete button to take the typed name", async () =>
    app.execute("return !document.querySelector('[data-testid=member-delete-submit]').disabled"));
  await saveScreenshot(app, "member-delete");
  await app.activate('[data-testid="member-delete-submit"]');
  await app.byTestId("members-deleted", { timeoutMs: 20000 });
  assert.equal(scalar(portalDb, "SELECT COUNT(*) FROM users WHERE username = ?1", [owner]), 0, "gone from the portal");
  assert.equal(scalar(portalDb, "SELECT owner FROM groups WHERE id = ?1", [group]), receiver);
  assert.equal(scalar(portalDb, "SELECT COUNT(*) FROM groups WHERE owner = ?1", [owner]), 0);
  await app.activate('[data-testid="members-clear-filters"]');
  await waitFor("the table without the member", async () => (await membersCount(app)) === `${total - 1} members`);
});

test("a CSV import is planned row by row with the bad rows named, then the good rows are in the portal", async () => {
  const member = scalar(
    portalDb,
    "SELECT username FROM users WHERE role = 'org_publisher' AND role_id IS NULL AND user_license_type_id = 'creatorUT' AND disabled = 0 ORDER BY username LIMIT 1",
  );
  assert.ok(member, "a Publisher with a Creator type (the bulk change made some)");
  const file = join(dataDir, "people.csv");
  writeFileSync(
    file,
    [
      "Username,First Name,Last Name,Email,Role,User Type,Password",
      `${member},,,,User,,`,
      "e2e_import1,Eve,Newton,eve.newton@example.com,User,Creator,Secret-pass-1",
      "e2e_import2,Bad,Mail,not-an-email,User,Creator,Secret-pass-1",
      "e2e_import1,Twice,Over,twice@example.com,User,Creator,Secret-pass-1",
      "",
    ].join("\n"),
  );
  await app.activate('[data-testid="nav-import"]');
  await app.byTestId("import-page");
  await (await app.byTestId("import-file")).type(file);
  const summary = await app.byTestId("import-summary", { timeoutMs: 30000 });
  assert.match(await summary.text(), /people\.csv: nothing is sent yet\. 1 to create, 0 to invite, 1 to update, 0 unchanged, 2 invalid/);
  const rows = async () =>
    app.execute(
      "return [...document.querySelectorAll('[data-testid=import-row]')].map((e) => [e.dataset.row, e.dataset.action, e.dataset.outcome, e.textContent])",
    );
  // The invalid rows show first, each with its reason.
  const invalid = await waitFor("the invalid rows", async () => {
    const l = await rows();
    return l.length === 2 ? l : null;
  });
  assert.deepEqual(invalid.map(([n, a]) => [n, a]), [["4", "invalid"], ["5", "invalid"]]);
  assert.match(invalid[0][3], /not-an-email/);
  assert.match(invalid[1][3], /also on row 3/);
  await app.activate('[data-testid="import-show-update"]');
  const update = await waitFor("the update row", async () => {
    const l = await rows();
    return l.length === 1 && l[0][1] === "update" ? l[0] : null;
  });
  assert.match(update[3], /Role: Publisher → User/);
  await app.activate('[data-testid="import-show-all"]');
  await saveScreenshot(app, "import-preview");
  assert.equal(scalar(portalDb, "SELECT count(*) FROM users WHERE username = 'e2e_import1'"), 0, "nothing sent yet");
  await app.activate('[data-testid="import-run"]');
  const result = await app.byTestId("import-result", { timeoutMs: 60000 });
  assert.match(await result.text(), /2 done, 0 failed, 0 skipped, 2 invalid, 0 unchanged/);
  await saveScreenshot(app, "import-result");
  assert.equal(scalar(portalDb, "SELECT role FROM users WHERE username = ?1", [member]), "org_user");
  assert.equal(scalar(portalDb, "SELECT email FROM users WHERE username = 'e2e_import1'"), "eve.newton@example.com");
  assert.equal(scalar(portalDb, "SELECT count(*) FROM users WHERE username = 'e2e_import2'"), 0);
  await app.activate('[data-testid="nav-members"]');
});

test("a pasted list of usernames and emails selects the members it names and lists the rest", async () => {
  const [[byName], [otherName, byEmail]] = query(
    portalDb,
    "SELECT username, email FROM users WHERE disabled = 0 AND email <> '' ORDER BY username LIMIT 2",
  );
  await app.activate('[data-testid="paste-open"]');
  await app.byTestId("paste-panel");
  await app.replaceText("paste-text", `${byName.toUpperCase()} ${byEmail}, nobody_by_that_name`);
  const summary = await waitFor("the list matched", async () => {
    const t = (await (await app.byTestId("paste-summary")).text()).trim();
    return /^\d+ entr/.test(t) ? t : null;
  });
  assert.equal(summary, "3 entries: 2 members found (1 by username, 1 by email); 1 entry matches no member.");
  assert.equal((await (await app.byTestId("paste-unmatched")).text()).trim(), "nobody_by_that_name");
  await app.activate('[data-testid="paste-select"]');
  await waitFor("the selection", async () => (await (await app.byTestId("members-selected-count")).text()).trim() === "2 selected");
  const selected = await app.execute(
    "return [...document.querySelectorAll('[data-testid=members-row][aria-selected=true]')].map((e) => e.dataset.username).sort()",
  );
  assert.deepEqual(selected, [byName, otherName].sort());
  await saveScreenshot(app, "paste-list");
  await app.activate('[data-testid="members-clear-selection"]');
  await waitFor("the selection cleared", async () =>
    app.execute("return !document.querySelector('[data-testid=members-selected-count]')"));
});

test("offboarding a selection reports its impact, then the members leave in one job with their licenses back and groups to one receiver", async () => {
  // A group owner, a license holder and one more active member (none an administrator).
  const owner = scalar(
    portalDb,
    "SELECT g.owner FROM groups g JOIN users u ON u.username = g.owner WHERE u.role <> 'org_admin' AND u.disabled = 0 ORDER BY g.owner DESC LIMIT 1",
  );
  const holder = scalar(
    portalDb,
    "SELECT u.username FROM users u JOIN user_entitlements e ON e.username = u.username WHERE u.role <> 'org_admin' AND u.disabled = 0 AND u.username <> ?1 ORDER BY u.username DESC LIMIT 1",
    [owner],
  );
  const plain = scalar(
    portalDb,
    "SELECT username FROM users WHERE role <> 'org_admin' AND disabled = 0 AND username NOT IN (?1, ?2) AND username NOT IN (SELECT owner FROM groups) ORDER BY username DESC LIMIT 1",
    [owner, holder],
  );
  const receiver = scalar(
    portalDb,
    "SELECT username FROM users WHERE disabled = 0 AND username NOT IN ('demo_admin', ?1, ?2, ?3) ORDER BY username LIMIT 1",
    [owner, holder, plain],
  );
  const leaving = [owner, holder, plain];
  const owned = query(portalDb, "SELECT id FROM groups WHERE owner = ?1", [owner]).map(([id]) => id);
  const total = scalar(portalDb, "SELECT COUNT(*) FROM users");
  for (const username of leaving) {
    await app.replaceText("members-filter-text", username);
    await waitFor(`${username} in the table`, async () =>
      app.execute(`return !!document.querySelector('[data-testid="members-row"][data-username="${username}"]')`));
    await app.activate(`[data-testid="members-row"][data-username="${username}"] [data-testid="members-select"]`);
  }
  await waitFor("the selection", async () => (await (await app.byTestId("members-selected-count")).text()).trim() === "3 selected");
  await app.activate('[data-testid="offboard-open"]');
  await app.byTestId("offboard-panel");
  await app.replaceText("offboard-receiver-picker-text", receiver);
  await app.activate(`[data-testid="offboard-receiver-picker-suggestion"][data-username="${receiver}"]`);
  await app.byTestId("offboard-receiver");
  await app.activate('[data-testid="offboard-check"]');
  const summary = await waitFor("the impact report", async () => {
    const el = await app.execute("return document.querySelector('[data-testid=offboard-summary]')?.textContent ?? null");
    return el ? el.trim() : null;
  }, { timeoutMs: 30000 });
  assert.match(summary, new RegExp(`^3 members will be deleted, with .* and ${owned.length} owned groups? going to ${receiver}; `));
  const report = await app.execute(
    "return [...document.querySelectorAll('[data-testid=offboard-item]')].map((e) => [e.dataset.username, e.dataset.verdict, e.textContent])",
  );
  assert.deepEqual(report.map(([u, v]) => [u, v]).sort(), leaving.map((u) => [u, "delete"]).sort());
  assert.match(report.find(([u]) => u === holder)[2], /holds /);
  assert.match(report.find(([u]) => u === owner)[2], /owns /);
  await app.replaceText("offboard-confirm", "3");
  await waitFor("the delete button to take the typed count", async () =>
    app.execute("return !document.querySelector('[data-testid=offboard-run]').disabled"));
  await saveScreenshot(app, "offboard-preview");
  assert.equal(scalar(portalDb, "SELECT COUNT(*) FROM users"), total, "nothing sent for the report");
  await app.activate('[data-testid="offboard-run"]');
  const result = await app.byTestId("bulk-summary-result", { timeoutMs: 60000 });
  assert.equal((await result.text()).trim(), "3 done, 0 failed, 0 skipped.");
  assert.equal(
    scalar(portalDb, "SELECT COUNT(*) FROM users WHERE username IN (SELECT value FROM json_each(?1))", [JSON.stringify(leaving)]),
    0,
    "gone from the portal",
  );
  for (const id of owned) assert.equal(scalar(portalDb, "SELECT owner FROM groups WHERE id = ?1", [id]), receiver);
  const journal = join(dataDir, "journal.sqlite");
  const job = scalar(journal, "SELECT id FROM jobs WHERE kind = 'offboard' ORDER BY id DESC LIMIT 1");
  assert.equal(scalar(journal, "SELECT count(*) FROM changes WHERE job = ?1 AND outcome <> 'done'", [job]), 0);
  assert.ok(
    scalar(journal, "SELECT count(*) FROM changes WHERE job = ?1 AND member = ?2 AND field LIKE 'license:%'", [job, holder]) > 0,
    "the holder's licenses were taken back first, on the record",
  );
  await app.activate('[data-testid="bulk-close"]');
  await app.activate('[data-testid="members-clear-filters"]');
  await waitFor("the table without them", async () => (await membersCount(app)) === `${total - 3} members`);
});

test("signing out returns to the first screen", async () => {
  await app.activate('[data-testid="sign-out"]');
  await app.byTestId("signin-demo");
});
