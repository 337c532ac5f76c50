// Form <-> wire converters of the member edit form: what the form holds, and what is sent.
import type { Member, MemberEdit, ProfileVisibility } from "../../platform/backend";
import { emailProblem } from "./rules";

/** What people call each profile visibility, in the order the form offers them. */
export const VISIBILITY_NAMES: Record<ProfileVisibility, string> = {
  private: "Only this member",
  org: "The organization",
  public: "Everyone (public)",
};

/** The visibility a select's value names, or null for anything else. */
export function visibilityOf(value: string): ProfileVisibility | null {
  return Object.keys(VISIBILITY_NAMES).find((v) => v === value) as ProfileVisibility | undefined ?? null;
}

export interface MemberFormState {
  firstName: string;
  lastName: string;
  email: string;
  description: string;
  access: ProfileVisibility;
  roleId: string;
  userType: string;
  /** As typed; "" where the portal does not manage credits. */
  credits: string;
}

export function toForm(m: Member): MemberFormState {
  return {
    firstName: m.firstName,
    lastName: m.lastName,
    email: m.email,
    description: m.description,
    access: m.access,
    roleId: m.roleId,
    userType: m.userType,
    credits: m.credits === null ? "" : String(m.credits),
  };
}

function creditsOf(text: string): number | null {
  return text.trim() === "" ? null : Number(text.trim());
}

export function toEdit(username: string, f: MemberFormState): MemberEdit {
  return {
    username,
    firstName: f.firstName.trim(),
    lastName: f.lastName.trim(),
    email: f.email.trim(),
    description: f.description,
    access: f.access,
    roleId: f.roleId,
    userType: f.userType,
    credits: creditsOf(f.credits),
  };
}

/** What is wrong with the form, field by field (empty when it can be sent). */
export function problems(f: MemberFormState): Partial<Record<keyof MemberFormState, string>> {
  const out: Partial<Record<keyof MemberFormState, string>> = {};
  if (!f.firstName.trim()) out.firstName = "Enter a first name.";
  if (!f.lastName.trim()) out.lastName = "Enter a last name.";
  const email = emailProblem(f.email.trim());
  if (email) out.email = email;
  const credits = creditsOf(f.credits);
  if (credits !== null && !(credits === -1 || (Number.isFinite(credits) && credits >= 0))) {
    out.credits = "Enter 0 or more credits, or -1 for no limit.";
  }
  return out;
}
