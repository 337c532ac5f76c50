// The create-member form's rules, the same as console-core's (crates/console-core/src/create.rs):
// checked as people type, so the form says what is wrong before anything is sent. The portal
// stays the judge: what it refuses is shown with its reason.
import type { Choice, NewMemberForm } from "../../../platform/backend";
import { incompatibility } from "../roleTypes";

export type Mode = "password" | "invite";

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

export function usernameProblem(name: string): string | null {
  const problem =
    name.length < 6
      ? "must be at least 6 characters long"
      : name.length > 128
        ? "must be at most 128 characters long"
        : !/^[A-Za-z0-9._@-]+$/.test(name)
          ? "may only contain letters, numbers and the characters . _ @ -"
          : !/^[A-Za-z0-9]/.test(name)
            ? "must start with a letter or a number"
            : null;
  return problem && `The username ${problem}.`;
}

/** The default ArcGIS password policy, rule by rule, for the checklist under the field. */
export function passwordRules(username: string, password: string): { rule: string; met: boolean }[] {
  return [
    { rule: "8 to 128 characters", met: password.length >= 8 && password.length <= 128 },
    { rule: "At least one letter", met: /\p{L}/u.test(password) },
    { rule: "At least one number", met: /[0-9]/.test(password) },
    { rule: "Not the username", met: password.length > 0 && password.toLowerCase() !== username.toLowerCase() },
  ];
}

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
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email.trim())) out.email = "Enter an email address.";
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
