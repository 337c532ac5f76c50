// The members page's filters as the person sets them (local days, "not for 90 days"), and
// what they become for the Rust side, which filters and sorts the cached members
// (`toQuery`).
import type { SortingState } from "@tanstack/react-table";
import type { SortKey as BackendSortKey } from "../../platform/backend";
import type { MemberQuery } from "../../platform/queries";

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

const DAY_MS = 86_400_000;

/** The start of a `YYYY-MM-DD` day in local time (epoch ms), or null for "" or a bad date. */
export function dayStart(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // No rolling over: 2026-02-30 is not a day.
  return d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]) ? d.getTime() : null;
}

export type SortKey = BackendSortKey;

/**
 * What the Rust side is asked for: the filters with the person's local days turned into
 * moments (epoch ms) and the table's sort. `now` is when "not signed in for N days" counts
 * from (epoch ms). A bad or empty day leaves that end of a range open.
 */
export function toQuery(filter: MemberFilter, sorting: SortingState, now: number): MemberQuery {
  let lastLogin: MemberQuery["filter"]["lastLogin"];
  if (filter.lastLogin === "any") lastLogin = { kind: "any" };
  else if (filter.lastLogin === "never") lastLogin = { kind: "never" };
  else if (filter.lastLogin === "range") {
    const last = dayStart(filter.loginTo);
    lastLogin = { kind: "between", from: dayStart(filter.loginFrom), until: last === null ? null : nextDay(last) };
  } else lastLogin = { kind: "notSince", at: now - Number(filter.lastLogin) * DAY_MS };
  const sort = sorting[0];
  return {
    filter: {
      text: filter.text,
      role: filter.role,
      userType: filter.userType,
      status: filter.status,
      lastLogin,
      provider: filter.provider,
      group: filter.group,
      license: filter.license,
      licenseHeld: filter.licenseHeld,
    },
    sort: sort ? { key: sort.id as SortKey, descending: sort.desc } : { key: "username", descending: false },
    filtered: JSON.stringify(filter) !== JSON.stringify(emptyFilter),
  };
}

/** The start of the local day after the one starting at `start` (days are not all 24 h). */
function nextDay(start: number): number {
  const d = new Date(start);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}
