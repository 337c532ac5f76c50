import { describe, expect, it } from "vitest";
import type { Member } from "../../platform/backend";
import { testMember } from "./testMembers";
import {
  dayStart,
  emptyFilter,
  facets,
  filterMembers,
  groupCounts,
  IncrementalFilter,
  NO_GROUP,
  searchIndex,
  sortMembers,
} from "./filter";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 29);

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
const index = searchIndex(members);
const names = (list: Member[]) => list.map((m) => m.username);

describe("filterMembers", () => {
  it("filters by group, or to the members of no group, and counts each group", () => {
    expect(names(filterMembers(members, index, { ...emptyFilter, group: "g2" }, NOW))).toEqual(["jsmith", "asmithers"]);
    expect(names(filterMembers(members, index, { ...emptyFilter, group: "g1", text: "smith" }, NOW))).toEqual(["jsmith"]);
    expect(names(filterMembers(members, index, { ...emptyFilter, group: NO_GROUP }, NOW))).toEqual(["bnever", "cold"]);
    expect(names(filterMembers(members, index, { ...emptyFilter, group: "g-unknown" }, NOW))).toEqual([]);
    const counts = groupCounts(members);
    expect([...counts.byGroup]).toEqual([["g1", 1], ["g2", 2]]);
    expect(counts.none).toBe(2);
  });

  it("matches every word of the text in the username, full name or email, ignoring case", () => {
    expect(names(filterMembers(members, index, { ...emptyFilter, text: "SMITH" }, NOW))).toEqual([
      "jsmith",
      "asmithers",
    ]);
    expect(names(filterMembers(members, index, { ...emptyFilter, text: "jane smith" }, NOW))).toEqual([
      "jsmith",
    ]);
    expect(names(filterMembers(members, index, { ...emptyFilter, text: "example.com" }, NOW))).toHaveLength(4);
  });

  it("filters by custom role, user type, status and provider", () => {
    expect(names(filterMembers(members, index, { ...emptyFilter, role: "viewerRole" }, NOW))).toEqual(["jsmith"]);
    expect(names(filterMembers(members, index, { ...emptyFilter, userType: "viewerUT" }, NOW))).toEqual(["bnever"]);
    expect(names(filterMembers(members, index, { ...emptyFilter, status: "disabled" }, NOW))).toEqual(["asmithers"]);
    expect(names(filterMembers(members, index, { ...emptyFilter, status: "active" }, NOW))).not.toContain("asmithers");
    expect(names(filterMembers(members, index, { ...emptyFilter, provider: "enterprise" }, NOW))).toEqual(["cold"]);
  });

  it("finds members who last signed in between two days (both days included, never excluded)", () => {
    const day = (ms: number) => {
      const d = new Date(ms);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    };
    const range = (loginFrom: string, loginTo: string) =>
      names(filterMembers(members, index, { ...emptyFilter, lastLogin: "range", loginFrom, loginTo }, NOW));
    // Everyone but "cold" (200 days ago) and "bnever" signed in yesterday.
    expect(range(day(NOW - 200 * DAY), day(NOW - 200 * DAY))).toEqual(["cold"]);
    expect(range(day(NOW - DAY), day(NOW - DAY))).toEqual(["jsmith", "asmithers"]);
    expect(range(day(NOW - 300 * DAY), "")).toEqual(["jsmith", "asmithers", "cold"]);
    expect(range("", day(NOW - 2 * DAY))).toEqual(["cold"]);
    expect(range("", "")).toEqual(["jsmith", "asmithers", "cold"]);
    expect(range(day(NOW), day(NOW + 30 * DAY))).toEqual([]);
    expect(dayStart("2026-02-28")).toBe(new Date(2026, 1, 28).getTime());
    expect(dayStart("2026-02-30")).toBeNull();
    expect(dayStart("not a date")).toBeNull();
  });

  it("finds members who never signed in, or not for N days (never included)", () => {
    expect(names(filterMembers(members, index, { ...emptyFilter, lastLogin: "never" }, NOW))).toEqual(["bnever"]);
    expect(names(filterMembers(members, index, { ...emptyFilter, lastLogin: "90" }, NOW))).toEqual([
      "bnever",
      "cold",
    ]);
    expect(names(filterMembers(members, index, { ...emptyFilter, lastLogin: "365" }, NOW))).toEqual(["bnever"]);
  });
});

describe("IncrementalFilter", () => {
  it("gives what a full pass gives while typing on, deleting and changing other filters", () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      member(`user${i}`, {
        fullName: ["Jane Smith", "Al Smithers", "Bo Lee", "Cy Jones"][i % 4] ?? "",
        disabled: i % 7 === 0,
      }),
    );
    const idx = searchIndex(many);
    const incremental = new IncrementalFilter();
    const steps = ["s", "sm", "smi", "smith", "smithe", "smith", "smi", "", "j", "ja jones", "ja", "user1", "user12 smith"];
    for (const status of ["all", "disabled"] as const) {
      for (const text of steps) {
        const f = { ...emptyFilter, text, status };
        expect(names(incremental.run(many, idx, f, NOW))).toEqual(names(filterMembers(many, idx, f, NOW)));
      }
    }
  });

  it("keeps only the results on the way to the text shown", () => {
    const idx = searchIndex(members);
    const incremental = new IncrementalFilter();
    for (const text of ["s", "sm", "smi", "smith"]) incremental.run(members, idx, { ...emptyFilter, text }, NOW);
    expect(incremental.remembered).toBe(4);
    incremental.run(members, idx, { ...emptyFilter, text: "smi" }, NOW);
    expect(incremental.remembered).toBe(3);
    incremental.run(members, idx, { ...emptyFilter, text: "jo" }, NOW);
    expect(incremental.remembered).toBe(1);
  });
});

describe("sortMembers", () => {
  it("sorts by a column either way without changing the input", () => {
    const byLogin = sortMembers(members, { key: "lastLogin", descending: false });
    expect(names(byLogin)).toEqual(["bnever", "cold", "asmithers", "jsmith"]);
    expect(names(sortMembers(members, { key: "fullName", descending: true }))[0]).toBe("jsmith");
    expect(names(members)[0]).toBe("jsmith");
  });
});

describe("facets", () => {
  it("counts each value, most common first", () => {
    const roles = facets(members, (m) => m.roleId, (m) => m.roleName);
    expect(roles).toEqual([
      { id: "org_user", name: "User", count: 3 },
      { id: "viewerRole", name: "Viewer", count: 1 },
    ]);
  });
});
