// Filtering and sorting of the whole organization, on the rows the UI already holds: no
// round trip. Built for 100,000 members per keystroke: the searchable text of every member is
// lower-cased once (`searchIndex`), and a filter is one pass over plain arrays.
import type { Member } from "../../platform/backend";

export type StatusFilter = "all" | "active" | "disabled";
/** "any", "never" (never signed in), a number of days (not signed in for that long), or
 * "range" (last signed in between `loginFrom` and `loginTo`). */
export type LastLoginFilter = "any" | "never" | "30" | "90" | "365" | "range";

export interface MemberFilter {
  text: string;
  /** A role id (custom roles too), or "" for any. */
  role: string;
  /** A user type id, or "" for any. */
  userType: string;
  status: StatusFilter;
  lastLogin: LastLoginFilter;
  /** With "range": the first and last day (`YYYY-MM-DD`, local time), "" for open-ended. */
  loginFrom: string;
  loginTo: string;
  /** "arcgis", "enterprise", or "" for any. */
  provider: string;
  /** A group id, NO_GROUP for members of no group, or "" for any. */
  group: string;
  /** A license key (`<item id>/<entitlement>`, `<item id>/*` for anything of a license,
   * `bundle/<id>`), or "" for any. */
  license: string;
  /** With a license: members who hold it (true), or who do not (false). */
  licenseHeld: boolean;
}

/** The group filter's value for members who belong to no group. */
export const NO_GROUP = "(none)";

export const emptyFilter: MemberFilter = {
  text: "",
  role: "",
  userType: "",
  status: "all",
  lastLogin: "any",
  loginFrom: "",
  loginTo: "",
  provider: "",
  group: "",
  license: "",
  licenseHeld: true,
};

/** Whether a member holds what a license key names (`<item id>/*`: anything of it). */
export function holds(m: Member, key: string): boolean {
  if (key.endsWith("/*")) {
    const prefix = key.slice(0, -1);
    return m.licenses.some((k) => k.startsWith(prefix));
  }
  return m.licenses.includes(key);
}

const DAY_MS = 86_400_000;

/** The start of a `YYYY-MM-DD` day in local time (epoch ms), or null for "" or a bad date. */
export function dayStart(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // No rolling over: 2026-02-30 is not a day.
  return d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]) ? d.getTime() : null;
}

/** The lower-cased username, full name and email of every member, in the same order. */
export function searchIndex(members: readonly Member[]): string[] {
  return members.map((m) => `${m.username}\u0000${m.fullName}\u0000${m.email}`.toLowerCase());
}

/** Members with their search text, in the same order. */
export interface Indexed {
  members: Member[];
  index: string[];
}

function words(text: string): string[] {
  return text.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

/** The members that pass `filter`, in the order given, with their search text. */
function filterIndexed(
  members: readonly Member[],
  index: readonly string[],
  filter: MemberFilter,
  now: number,
): Indexed {
  const wanted = words(filter.text);
  const days = ["any", "never", "range"].includes(filter.lastLogin) ? 0 : Number(filter.lastLogin);
  const range = filter.lastLogin === "range";
  const from = range ? dayStart(filter.loginFrom) : null;
  const toEnd = range ? dayStart(filter.loginTo) : null;
  const until = toEnd === null ? null : toEnd + DAY_MS;
  const before = now - days * DAY_MS;
  const out: Indexed = { members: [], index: [] };
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    if (m === undefined) continue;
    if (filter.role && m.roleId !== filter.role) continue;
    if (filter.userType && m.userType !== filter.userType) continue;
    if (filter.status === "active" && m.disabled) continue;
    if (filter.status === "disabled" && !m.disabled) continue;
    if (filter.provider && m.provider !== filter.provider) continue;
    if (filter.group === NO_GROUP ? m.groups.length > 0 : filter.group && !m.groups.includes(filter.group)) continue;
    if (filter.license && holds(m, filter.license) !== filter.licenseHeld) continue;
    if (filter.lastLogin === "never" && m.lastLogin !== null) continue;
    if (days > 0 && m.lastLogin !== null && m.lastLogin >= before) continue;
    if (range && (m.lastLogin === null || (from !== null && m.lastLogin < from) || (until !== null && m.lastLogin >= until))) continue;
    const hay = index[i] ?? "";
    if (wanted.length > 0 && !wanted.every((w) => hay.includes(w))) continue;
    out.members.push(m);
    out.index.push(hay);
  }
  return out;
}

/** The members that pass `filter`, in the order given. `now` is epoch ms. */
export function filterMembers(
  members: readonly Member[],
  index: readonly string[],
  filter: MemberFilter,
  now: number,
): Member[] {
  return filterIndexed(members, index, filter, now).members;
}

/**
 * Filtering as people type. Typing on narrows the last result (every member matching
 * "smit" is among those matching "smi"), and deleting goes back to a result already computed,
 * so most keystrokes look at far fewer than all members. Only the results on the way to the
 * text shown are kept (those of its prefixes: "", "s", "sm"… for "smi"): with 100,000
 * members a result is two arrays of up to 100,000 entries, and results off that path would
 * never be read again.
 */
export class IncrementalFilter {
  private source: readonly Member[] | null = null;
  private others = "";
  private now = 0;
  private results = new Map<string, Indexed>();

  /** How many results are kept. */
  get remembered(): number {
    return this.results.size;
  }

  run(members: readonly Member[], index: readonly string[], filter: MemberFilter, now: number): Member[] {
    const others = JSON.stringify({ ...filter, text: "" });
    if (members !== this.source || others !== this.others || now !== this.now) {
      this.source = members;
      this.others = others;
      this.now = now;
      this.results.clear();
    }
    const text = words(filter.text).join(" ") + (/\s$/.test(filter.text) ? " " : "");
    let base: Indexed | null = null;
    let baseLength = -1;
    for (const [done, result] of this.results) {
      if (!text.startsWith(done)) {
        this.results.delete(done);
      } else if (done.length > baseLength) {
        base = result;
        baseLength = done.length;
      }
    }
    if (base && baseLength === text.length) return base.members;
    const result = base
      ? filterIndexed(base.members, base.index, filter, now)
      : filterIndexed(members, index, filter, now);
    this.results.set(text, result);
    return result.members;
  }
}

export type SortKey =
  | "username"
  | "fullName"
  | "email"
  | "roleName"
  | "userTypeName"
  | "disabled"
  | "lastLogin"
  | "created";

export interface Sort {
  key: SortKey;
  descending: boolean;
}

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

/** A sorted copy. "Never" signed in sorts before any date; ties keep username order. */
export function sortMembers(members: readonly Member[], sort: Sort): Member[] {
  const sign = sort.descending ? -1 : 1;
  const key = sort.key;
  const compare = (a: Member, b: Member): number => {
    let c: number;
    if (key === "lastLogin" || key === "created") {
      c = (a[key] ?? -1) - (b[key] ?? -1);
    } else if (key === "disabled") {
      c = Number(a.disabled) - Number(b.disabled);
    } else {
      c = collator.compare(a[key], b[key]);
    }
    return c !== 0 ? c * sign : collator.compare(a.username, b.username);
  };
  return [...members].sort(compare);
}

/** How many members belong to each group (by id), and how many to none. */
export function groupCounts(members: readonly Member[]): { byGroup: Map<string, number>; none: number } {
  const byGroup = new Map<string, number>();
  let none = 0;
  for (const m of members) {
    if (m.groups.length === 0) none++;
    for (const g of m.groups) byGroup.set(g, (byGroup.get(g) ?? 0) + 1);
  }
  return { byGroup, none };
}

/** The distinct values of a field with their display names and counts, most common first. */
export function facets(
  members: readonly Member[],
  id: (m: Member) => string,
  name: (m: Member) => string,
): { id: string; name: string; count: number }[] {
  const seen = new Map<string, { id: string; name: string; count: number }>();
  for (const m of members) {
    const key = id(m);
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { id: key, name: name(m) || key || "(none)", count: 1 });
  }
  return [...seen.values()].sort((a, b) => b.count - a.count || collator.compare(a.name, b.name));
}
