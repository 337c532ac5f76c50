import { describe, expect, it } from "vitest";
import { cameBack, emptyForm, formProblem, keptFreed, toRequest } from "./reclaim";
import { figures, groupLines, holdersFilter } from "./seats";
import { PRO, testPicture } from "./testPicture";

const lines = testPicture().lines;
const byKey = (key: string) => {
  const line = lines.find((l) => l.key === key);
  if (!line) throw new Error(key);
  return line;
};

describe("seat figures", () => {
  it("tells free, full, over-assigned and unlimited lines apart", () => {
    expect(figures(byKey("creatorUT"))).toEqual({ bought: 50, assigned: 42, invited: 0, free: 8, over: 0, state: "free" });
    expect(figures(byKey("fieldWorkerUT"))).toEqual({ bought: 20, assigned: 20, invited: 0, free: 0, over: 0, state: "full" });
    expect(figures(byKey(`${PRO}/desktopAdvN`))).toEqual({ bought: 5, assigned: 7, invited: 0, free: 0, over: 2, state: "over" });
    expect(figures(byKey("viewerUT"))).toEqual({ bought: null, assigned: 58, invited: 0, free: null, over: 0, state: "unlimited" });
  });

  it("counts the seats pending invitations hold as taken", () => {
    const creator = { ...byKey("creatorUT"), invited: 5 };
    expect(figures(creator)).toEqual({ bought: 50, assigned: 42, invited: 5, free: 3, over: 0, state: "free" });
    expect(figures({ ...creator, invited: 9 })).toMatchObject({ free: 0, over: 1, state: "over" });
  });

  it("groups lines in the picture's order and filters holders by user type or license", () => {
    expect(groupLines(lines).map((g) => [g.group, g.lines.length])).toEqual([
      ["User types", 3], ["ArcGIS Pro", 2], ["App bundles", 1],
    ]);
    expect(holdersFilter(byKey("viewerUT"))).toEqual({ userType: "viewerUT" });
    expect(holdersFilter(byKey("bundle/b1"), "30")).toEqual({ license: "bundle/b1", licenseHeld: true, lastLogin: "30" });
  });
});

describe("reclaim", () => {
  it("asks for something to reclaim and a whole number of days before a preview", () => {
    expect(formProblem(emptyForm)).toContain("Choose user types");
    // A type to downgrade from without a type to go to reclaims nothing.
    expect(formProblem({ ...emptyForm, userTypes: ["creatorUT"] })).toContain("Choose user types");
    expect(formProblem({ ...emptyForm, licenses: ["bundle/b1"], days: 0 })).toContain("number of days");
    expect(formProblem({ ...emptyForm, licenses: ["bundle/b1"], days: 12.5 })).toContain("number of days");
    expect(formProblem({ ...emptyForm, userTypes: ["creatorUT"], downgradeTo: "viewerUT" })).toBeNull();
    // Without types to downgrade from, neither the target nor the role is sent.
    expect(toRequest({ ...emptyForm, downgradeTo: "viewerUT", downgradeRole: "iViewer", licenses: ["bundle/b1"] })).toEqual({
      days: 365, includeNever: true, userTypes: [], downgradeTo: null, downgradeRole: null, licenses: ["bundle/b1"],
    });
  });

  it("counts the seats that come back for the members kept only, and compares before with after", () => {
    const plan = {
      items: [
        { username: "a", fullName: "", lastLogin: null, userTypeName: "Creator", revoke: ["bundle/b1"], downgrade: true, newRole: null, problem: null },
        { username: "b", fullName: "", lastLogin: null, userTypeName: "Creator", revoke: [], downgrade: true, newRole: null, problem: null },
        { username: "c", fullName: "", lastLogin: null, userTypeName: "Creator", revoke: [], downgrade: false, newRole: null, problem: "no role" },
      ],
      freed: [
        { key: "bundle/b1", name: "Field Apps Bundle", count: 1 },
        { key: "creatorUT", name: "Creator", count: 2 },
      ],
    };
    expect(keptFreed(plan, new Set()).map((f) => f.count)).toEqual([1, 2]);
    const kept = keptFreed(plan, new Set(["a"]));
    expect(kept.map((f) => f.count)).toEqual([0, 1]);
    expect(cameBack(kept, new Map([["creatorUT", 42]]), new Map([["creatorUT", 41]]))).toEqual([
      { key: "creatorUT", name: "Creator", before: 42, after: 41, expected: 1 },
    ]);
  });
});
