// A member for UI tests: plain defaults, any field overridden.
import type { Member } from "../../platform/backend";

export function testMember(username: string, over: Partial<Member> = {}): Member {
  return {
    username,
    fullName: username,
    firstName: username,
    lastName: "",
    access: "org",
    email: `${username}@example.com`,
    role: "org_user",
    roleId: "org_user",
    roleName: "User",
    userType: "creatorUT",
    userTypeName: "Creator",
    disabled: false,
    lastLogin: null,
    created: 0,
    provider: "arcgis",
    idpUsername: null,
    description: "",
    groups: [],
    credits: null,
    licenses: [],
    ...over,
  };
}
