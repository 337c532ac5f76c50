// The History view's filter form, turned into the journal's filter, and the names of the
// fields a change is recorded under.
import type { Choices } from "../../components/FilterSelect";
import type { HistoryFilter } from "../../platform/backend";

/** The filters as the administrator fills them in (dates as `YYYY-MM-DD`). */
export interface HistoryForm {
  member: string;
  admin: string;
  /** A field name, or a field family (`group`, `license`, `bundle`); "" for any. */
  field: string;
  job: number | null;
  from: string;
  to: string;
}

/** The fields to filter on, as the journal records them. */
export const FIELDS: Choices<string> = [
  ["", "All fields"],
  ["member", "Created / deleted"],
  ["role", "Role"],
  ["userType", "User type"],
  ["disabled", "Enabled / disabled"],
  ["group", "Groups"],
  ["license", "Licenses"],
  ["bundle", "App bundles"],
  ["credits", "Credits"],
  ["firstName", "First name"],
  ["lastName", "Last name"],
  ["email", "Email"],
  ["description", "Description"],
  ["access", "Profile visible to"],
];

const LABELS = new Map(FIELDS.filter(([id]) => id !== ""));
LABELS.set("member", "Account");
LABELS.set("disabled", "Status");
LABELS.set("group", "Group");
LABELS.set("license", "License");
LABELS.set("bundle", "App bundle");

/** What people call a recorded field (`group:<id>` is "Group"). */
export function fieldLabel(field: string): string {
  const family = field.split(":")[0] ?? field;
  return LABELS.get(family) ?? field;
}

/**
 * The journal's filter of a form: texts trimmed (empty is no filter), the "to" day included
 * (the filter ends at the next day's start). `dayStart` turns a `YYYY-MM-DD` into the start of
 * that day, local time (null for a bad date, which filters nothing).
 */
export function historyFilter(form: HistoryForm, dayStart: (day: string) => number | null): HistoryFilter {
  const text = (s: string) => (s.trim() === "" ? null : s.trim());
  const to = dayStart(form.to);
  let end: number | null = null;
  if (to !== null) {
    const d = new Date(to);
    end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  }
  return {
    member: text(form.member),
    admin: text(form.admin),
    field: form.field === "" ? null : form.field,
    job: form.job,
    from: dayStart(form.from),
    to: end,
    limit: null,
  };
}
