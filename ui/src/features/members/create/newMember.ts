// The create-member form's state and its problems, checked as people type (the rules
// themselves are in ../rules.ts), so the form says what is wrong before anything is sent. The
// portal stays the judge: what it refuses is shown with its reason.
import type { Choice, NewMemberForm } from "../../../platform/backend";
import { incompatibility } from "../roleTypes";
import { emailProblem, passwordRules, usernameProblem } from "../rules";

// "password": the administrator sets it; "email": the portal emails the member a link to set it.
export type Mode = "password" | "email";

export interface NewMemberState {
  mode: Mode;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  roleId: string;
  userType: string;
  groups: string[];
  credits: string;
}

export const emptyNewMember: NewMemberState = {
  mode: "password",
  username: "",
  password: "",
  firstName: "",
  lastName: "",
  email: "",
  roleId: "org_user",
  userType: "creatorUT",
  groups: [],
  credits: "",
};

export type Problems = Partial<Record<keyof NewMemberState, string>>;

export function problems(f: NewMemberState, roles: Choice[], userTypes: Choice[]): Problems {
  const out: Problems = {};
  const username = f.username.trim();
  const u = usernameProblem(username);
  if (u) out.username = u;
  if (f.mode === "password" && !passwordRules(username, f.password).every((r) => r.met)) {
    out.password = "The password does not meet the policy.";
  }
  if (!f.firstName.trim()) out.firstName = "Enter a first name.";
  if (!f.lastName.trim()) out.lastName = "Enter a last name.";
  const email = emailProblem(f.email.trim());
  if (email) out.email = email;
  const role = roles.find((r) => r.id === f.roleId);
  const type = userTypes.find((t) => t.id === f.userType);
  if (!role) out.roleId = "Choose a role.";
  if (!type) out.userType = "Choose a user type.";
  const clash = incompatibility(role, type);
  if (clash) out.userType = clash;
  if (f.credits.trim() !== "" && !(Number(f.credits) >= 0)) {
    out.credits = "Enter a positive number, or leave empty for the default.";
  }
  return out;
}

export function toNewMember(f: NewMemberState): NewMemberForm {
  return {
    username: f.username.trim(),
    password: f.mode === "password" ? f.password : null,
    firstName: f.firstName.trim(),
    lastName: f.lastName.trim(),
    email: f.email.trim(),
    roleId: f.roleId,
    userType: f.userType,
    groups: f.groups,
    credits: f.credits.trim() === "" ? null : Number(f.credits),
  };
}
