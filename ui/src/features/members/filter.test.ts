import { describe, expect, it } from "vitest";
import type { Member } from "../../platform/backend";
import { queryMembers } from "../../testing/memberEngine";
import { testMember } from "./testMembers";
import { dayStart, emptyFilter, NO_GROUP, toQuery, type MemberFilter } from "./filter";

// What the page's filters become for the Rust side (`toQuery`), applied here by the UI tests'
// stand-in for the Rust engine; the engine itself is tested in Rust.

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 29);
const BY_USERNAME = [{ id: "username", desc: false }];

function member(username: string, over: Partial<Member> = {}): Member {
  return testMember(username, {
    fullName: username.toUpperCase(),
    lastLogin: NOW - DAY,
    created: NOW - 400 * DAY,
    ...over,
  });
}

const members = [
  member("jsmith", { fullName: "Jane Smith", roleId: "viewerRole", roleName: "Viewer", groups: ["g1", "g2"] }),
  member("asmithers", { fullName: "Al Smithers", disabled: true, groups: ["g2"] }),
  member("bnever", { lastLogin: null, userType: "viewerUT", userTypeName: "Viewer" }),
  member("cold", { lastLogin: NOW - 200 * DAY, provider: "enterprise" }),
];

/** The usernames `filter` shows, by username, with "now" at NOW. */
function shown(filter: Partial<MemberFilter>): string[] {
  const { filter: f, sort } = toQuery({ ...emptyFilter, ...filter }, BY_USERNAME, NOW);
  return queryMembers(members, f, sort).map((m) => m.username);
}

describe("toQuery", () => {
  it("passes the text, ids, status, group and license on as they are", () => {
    const { filter, sort } = toQuery(
      { ...emptyFilter, text: "Jane  S", role: "r", userType: "t", status: "active", provider: "arcgis", group: NO_GROUP, license: "x/*", licenseHeld: false },
      [{ id: "lastLogin", desc: true }],
      NOW,
    );
    expect(filter).toEqual({
      text: "Jane  S",
      role: "r",
      userType: "t",
      status: "active",
      lastLogin: { kind: "any" },
      provider: "arcgis",
      group: NO_GROUP,
      license: "x/*",
      licenseHeld: false,
    });
    expect(sort).toEqual({ key: "lastLogin", descending: true });
    expect(toQuery(emptyFilter, [], NOW).sort).toEqual({ key: "username", descending: false });
  });

  it("turns the last sign-in choices into moments", () => {
    expect(toQuery({ ...emptyFilter, lastLogin: "90" }, BY_USERNAME, NOW).filter.lastLogin).toEqual({
      kind: "notSince",
      at: NOW - 90 * DAY,
    });
    expect(toQuery({ ...emptyFilter, lastLogin: "range", loginFrom: "2026-03-01", loginTo: "2026-03-31" }, BY_USERNAME, NOW).filter.lastLogin).toEqual({
      kind: "between",
      from: new Date(2026, 2, 1).getTime(),
      until: new Date(2026, 3, 1).getTime(),
    });
    expect(toQuery({ ...emptyFilter, lastLogin: "range", loginFrom: "", loginTo: "bad" }, BY_USERNAME, NOW).filter.lastLogin).toEqual({
      kind: "between",
      from: null,
      until: null,
    });
  });
});

describe("the filters, as the engine applies them", () => {
  it("filters by group, or to the members of no group", () => {
    expect(shown({ group: "g2" })).toEqual(["asmithers", "jsmith"]);
    expect(shown({ group: "g1", text: "smith" })).toEqual(["jsmith"]);
    expect(shown({ group: NO_GROUP })).toEqual(["bnever", "cold"]);
    expect(shown({ group: "g-unknown" })).toEqual([]);
  });

  it("matches every word of the text in the username, full name or email, ignoring case", () => {
    expect(shown({ text: "SMITH" })).toEqual(["asmithers", "jsmith"]);
    expect(shown({ text: "jane smith" })).toEqual(["jsmith"]);
    expect(shown({ text: "example.com" })).toHaveLength(4);
  });

  it("filters by custom role, user type, status and provider", () => {
    expect(shown({ role: "viewerRole" })).toEqual(["jsmith"]);
    expect(shown({ userType: "viewerUT" })).toEqual(["bnever"]);
    expect(shown({ status: "disabled" })).toEqual(["asmithers"]);
    expect(shown({ status: "active" })).not.toContain("asmithers");
    expect(shown({ provider: "enterprise" })).toEqual(["cold"]);
  });

  it("finds members who last signed in between two days (both days included, never excluded)", () => {
    const day = (ms: number) => {
      const d = new Date(ms);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    };
    const range = (loginFrom: string, loginTo: string) =>
      shown({ lastLogin: "range", loginFrom, loginTo });
    // Everyone but "cold" (200 days ago) and "bnever" signed in yesterday.
    expect(range(day(NOW - 200 * DAY), day(NOW - 200 * DAY))).toEqual(["cold"]);
    expect(range(day(NOW - DAY), day(NOW - DAY))).toEqual(["asmithers", "jsmith"]);
    expect(range(day(NOW - 300 * DAY), "")).toEqual(["asmithers", "cold", "jsmith"]);
    expect(range("", day(NOW - 2 * DAY))).toEqual(["cold"]);
    expect(range("", "")).toEqual(["asmithers", "cold", "jsmith"]);
    expect(range(day(NOW), day(NOW + 30 * DAY))).toEqual([]);
    expect(dayStart("2026-02-28")).toBe(new Date(2026, 1, 28).getTime());
    expect(dayStart("2026-02-30")).toBeNull();
    expect(dayStart("not a date")).toBeNull();
  });

  it("finds members who never signed in, or not for N days (never included)", () => {
    expect(shown({ lastLogin: "never" })).toEqual(["bnever"]);
    expect(shown({ lastLogin: "90" })).toEqual(["bnever", "cold"]);
    expect(shown({ lastLogin: "365" })).toEqual(["bnever"]);
  });
});
