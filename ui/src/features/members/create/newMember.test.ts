import { describe, expect, it } from "vitest";
import type { Choice } from "../../../platform/backend";
import { incompatibility } from "../roleTypes";
import { emptyNewMember, problems, toNewMember } from "./newMember";

// The Viewer role's id, the same in every ArcGIS organization.
const VIEWER_ROLE_ID = "iAAAAAAAAAAAAAAA";
const role = (id: string, baseRole: Choice["baseRole"]): Choice => ({ id, name: id, baseRole, refusedRoles: [] });
// What Rust sends: each user type with the roles it does not allow.
const type = (id: string, refusedRoles: string[]): Choice => ({ id, name: id, baseRole: null, refusedRoles });

const roles = [role("org_user", "org_user"), role("org_admin", "org_admin"), role(VIEWER_ROLE_ID, "org_user")];
const userTypes = [type("creatorUT", []), type("editorUT", ["org_admin"]), type("viewerUT", ["org_user", "org_admin"])];

describe("new member rules", () => {
  it("apply the user type compatibility rule, assuming nothing about unknown roles", () => {
    expect(incompatibility(roles[1], userTypes[0])).toBeNull();
    expect(incompatibility(roles[1], userTypes[1])).toContain("does not allow");
    expect(incompatibility(roles[0], userTypes[2])).toContain("does not allow");
    expect(incompatibility(roles[2], userTypes[2])).toBeNull();
    expect(incompatibility(role("custom", null), userTypes[1])).toBeNull();
  });

  it("name each problem of a form, and send an invitation without a password", () => {
    const form = { ...emptyNewMember, username: "jsmith_gis", password: "river7stone", firstName: "J", lastName: "S", email: "j@example.com" };
    expect(problems(form, roles, userTypes)).toEqual({});
    expect(problems({ ...form, roleId: "org_admin", userType: "editorUT", email: "x", credits: "-3" }, roles, userTypes)).toEqual({
      email: "Enter an email address.",
      userType: "The user type editorUT does not allow the role org_admin.",
      credits: "Enter a positive number, or leave empty for the default.",
    });
    expect(problems({ ...form, mode: "email", password: "" }, roles, userTypes)).toEqual({});
    expect(toNewMember({ ...form, mode: "email", credits: " 120 " })).toMatchObject({ password: null, credits: 120 });
  });
});
