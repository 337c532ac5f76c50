// Esri's @esri/arcgis-rest-js 4.10.2 against the embedded portal, with only the portal URL
// changed. Each test file gets a fresh in-memory portal (plain HTTP: rest-js does not insist
// on HTTPS, and the Python suite covers the TLS path).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  ArcGISAuthError,
  ArcGISIdentityManager,
  ArcGISRequestError,
  ArcGISTokenRequestError,
  request,
} from "@esri/arcgis-rest-request";
import {
  addGroupUsers,
  createGroup,
  getUser,
  getUserInvitations,
  acceptInvitation,
  inviteGroupUsers,
  removeGroupUsers,
  searchUsers,
  searchGroupUsers,
  updateUser,
  getSelf,
} from "@esri/arcgis-rest-portal";
import { startPortal } from "./lib/portal.mjs";

const ADMIN = "restjs_admin";
const ADMIN_PASSWORD = "Restjs-pass-1";
const DEMO_PASSWORD = "demo-password-1";
let server;
let portal;
let admin;

before(async () => {
  server = await startPortal({ admin: `${ADMIN}:${ADMIN_PASSWORD}`, seedUsers: 150 });
  portal = server.rest;
  admin = await ArcGISIdentityManager.signIn({ username: ADMIN, password: ADMIN_PASSWORD, portal });
});

after(() => server?.stop());

test("signIn uses generateToken, community/self knows the admin, portals/self the org", async () => {
  assert.equal(await admin.getUsername(), ADMIN);
  const user = await admin.getUser();
  assert.ok(user.privileges.some((p) => p.includes(":admin:")));
  const self = await getSelf({ authentication: admin });
  assert.equal(self.user.username, ADMIN);
  assert.equal(self.portalName, "ArcGIS Online");
});

test("a wrong password raises the portal's error", async () => {
  await assert.rejects(
    ArcGISIdentityManager.signIn({ username: ADMIN, password: "wrong", portal }),
    (e) => e instanceof ArcGISTokenRequestError && /Unable to generate token/.test(e.message),
  );
});

test("searchUsers pages with nextStart until -1 and every member comes once", async () => {
  const seen = new Set();
  let start = 1;
  let total;
  do {
    const page = await searchUsers({ q: "*", num: 40, start, authentication: admin });
    total ??= page.total;
    for (const u of page.results) {
      assert.ok(!seen.has(u.username), `${u.username} twice`);
      seen.add(u.username);
    }
    start = page.nextStart;
  } while (start !== -1);
  assert.equal(seen.size, total);
  assert.equal(total, 151);
});

test("getUser and updateUser round-trip a description, even with username in the body", async () => {
  const page = await searchUsers({ q: "role:org_user", num: 1, authentication: admin });
  const username = page.results[0].username;
  const result = await updateUser({ user: { username, description: "Set by rest-js" }, authentication: admin });
  assert.equal(result.success, true);
  const user = await getUser({ username, authentication: admin });
  assert.equal(user.description, "Set by rest-js");
});

test("an unknown user is a 400 with the text clients match", async () => {
  await assert.rejects(getUser({ username: "nobody_at_all", authentication: admin }), (e) => {
    assert.ok(e instanceof ArcGISRequestError);
    assert.match(e.message, /User does not exist or is inaccessible/);
    return true;
  });
});

test("a call without a token is an auth error (499)", async () => {
  await assert.rejects(
    request(`${portal}/community/self`, { httpMethod: "GET" }),
    (e) => e instanceof ArcGISAuthError || (e instanceof ArcGISRequestError && /499|Token Required|GWM_0003/.test(`${e.code} ${e.message}`)),
  );
});

test("groups: create, add, remove, invite, and the invitee accepts", async () => {
  const { group } = await createGroup({ group: { title: `rest-js ${Date.now()}`, access: "org", tags: ["compat"] }, authentication: admin });
  const page = await searchUsers({ q: "role:org_user", num: 30, authentication: admin });
  const members = page.results.filter((u) => !u.disabled && u.provider === "arcgis").map((u) => u.username).slice(0, 3);
  assert.equal(members.length, 3);
  const added = await addGroupUsers({ id: group.id, users: members, authentication: admin });
  assert.deepEqual(added.notAdded, []);
  const list = await searchGroupUsers(group.id, { num: 100, authentication: admin });
  assert.deepEqual(new Set(list.users.map((u) => u.username)), new Set(members));
  const removed = await removeGroupUsers({ id: group.id, users: [members[0]], authentication: admin });
  assert.deepEqual(removed.notRemoved, []);

  const invited = await inviteGroupUsers({ id: group.id, users: [members[0]], role: "group_member", expiration: 1440, authentication: admin });
  assert.equal(invited.success, true);
  const invitee = await ArcGISIdentityManager.signIn({ username: members[0], password: DEMO_PASSWORD, portal });
  const { userInvitations } = await getUserInvitations({ authentication: invitee });
  assert.equal(userInvitations.length, 1);
  const accepted = await acceptInvitation({ invitationId: userInvitations[0].id, authentication: invitee });
  assert.equal(accepted.success, true);
  const after = await searchGroupUsers(group.id, { num: 100, authentication: admin });
  assert.ok(after.users.some((u) => u.username === members[0]));
});
