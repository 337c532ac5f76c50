import { describe, expect, it } from "vitest";
import { testMember } from "../features/members/testMembers";
import { shareStrings } from "./backend";

describe("shareStrings", () => {
  it("changes no value of any member", () => {
    const members = [
      testMember("ann", { roleId: "r1", roleName: "Analyst", groups: ["g1", "g2"], licenses: ["item/pro", "bundle/b"] }),
      testMember("bob", { roleId: "r1", roleName: "Analyst", groups: ["g2"], licenses: ["item/pro"], description: "Hydrology" }),
      testMember("cy", { userType: "viewerUT", userTypeName: "Viewer", provider: "enterprise", access: "private" }),
    ];
    const before = structuredClone(members);
    expect(shareStrings(members)).toBe(members);
    expect(members).toEqual(before);
  });
});
