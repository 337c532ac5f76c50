// The UI tests' stand-in for the Rust members engine (`console-core`'s `members::query` and
// `members::table`): the same filters, sorts, windows and counts over a list of members, so
// that a page test can mock the backend with a few members and have the table, the counts and
// the filter controls answer as the app does. The engine itself is tested in Rust.
import { vi } from "vitest";
import type { Facet, ListMatch, Member, MemberFacets, MemberFilter, MemberPage, MemberSort } from "../platform/backend";

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

/** Whether a member holds what a license key names (`<item id>/*`: anything of it). */
function holds(m: Member, key: string): boolean {
  if (key.endsWith("/*")) {
    const prefix = key.slice(0, -1);
    return m.licenses.some((k) => k.startsWith(prefix));
  }
  return m.licenses.includes(key);
}

function passes(m: Member, f: MemberFilter): boolean {
  if (f.role && m.roleId !== f.role) return false;
  if (f.userType && m.userType !== f.userType) return false;
  if (f.status === "active" && m.disabled) return false;
  if (f.status === "disabled" && !m.disabled) return false;
  if (f.provider && m.provider !== f.provider) return false;
  if (f.group === "(none)" ? m.groups.length > 0 : f.group && !m.groups.includes(f.group)) return false;
  if (f.license && holds(m, f.license) !== f.licenseHeld) return false;
  const last = m.lastLogin;
  const login = f.lastLogin;
  if (login.kind === "never" && last !== null) return false;
  if (login.kind === "notSince" && last !== null && login.at !== null && last >= login.at) return false;
  if (login.kind === "between") {
    if (last === null) return false;
    if (login.from !== null && last < login.from) return false;
    if (login.until !== null && last >= login.until) return false;
  }
  const hay = `${m.username}\u0000${m.fullName}\u0000${m.email}`.toLowerCase();
  return f.text.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

function compare(a: Member, b: Member, sort: MemberSort): number {
  const key = sort.key;
  let c: number;
  if (key === "lastLogin" || key === "created") c = (a[key] ?? -1) - (b[key] ?? -1);
  else if (key === "disabled") c = Number(a.disabled) - Number(b.disabled);
  else c = collator.compare(a[key], b[key]);
  if (sort.descending) c = -c;
  return c !== 0 ? c : collator.compare(a.username, b.username);
}

/** The members a filter shows, in its sort's order. */
export function queryMembers(members: readonly Member[], filter: MemberFilter, sort: MemberSort): Member[] {
  return members.filter((m) => passes(m, filter)).sort((a, b) => compare(a, b, sort));
}

function named(counts: Map<string, { name: string; count: number }>): Facet[] {
  return [...counts]
    .map(([id, { name, count }]) => ({ id, name: name || id || "(none)", count }))
    .sort((a, b) => b.count - a.count || collator.compare(a.name, b.name));
}

/** How many members have each role, user type, group and license. */
export function facetsOf(members: readonly Member[]): MemberFacets {
  const roles = new Map<string, { name: string; count: number }>();
  const types = new Map<string, { name: string; count: number }>();
  const groups = new Map<string, number>();
  const licenses = new Map<string, number>();
  let noGroup = 0;
  const bump = (map: Map<string, { name: string; count: number }>, id: string, name: string) => {
    const entry = map.get(id) ?? { name, count: 0 };
    entry.count += 1;
    map.set(id, entry);
  };
  for (const m of members) {
    bump(roles, m.roleId, m.roleName);
    bump(types, m.userType, m.userTypeName);
    if (m.groups.length === 0) noGroup += 1;
    for (const g of m.groups) groups.set(g, (groups.get(g) ?? 0) + 1);
    const products = new Set<string>();
    for (const k of m.licenses) {
      licenses.set(k, (licenses.get(k) ?? 0) + 1);
      const slash = k.indexOf("/");
      if (!k.startsWith("bundle/") && slash > 0) products.add(`${k.slice(0, slash)}/*`);
    }
    for (const p of products) licenses.set(p, (licenses.get(p) ?? 0) + 1);
  }
  const counted = (map: Map<string, number>) =>
    [...map].map(([id, count]) => ({ id, name: id, count })).sort((a, b) => (a.id < b.id ? -1 : 1));
  return { roles: named(roles), userTypes: named(types), groups: counted(groups), noGroup, licenses: counted(licenses) };
}

/** The members a list names: by username, then email (all with it), then IdP username. */
export function matchListOf(entries: readonly string[], members: readonly Member[]): ListMatch {
  const out: ListMatch = { usernames: [], unmatched: [], byUsername: 0, byEmail: 0, byIdp: 0 };
  const take = (m: Member) => {
    if (!out.usernames.includes(m.username)) out.usernames.push(m.username);
  };
  for (const entry of entries) {
    const key = entry.toLowerCase();
    const named = members.find((m) => m.username.toLowerCase() === key);
    const mailed = members.filter((m) => m.email !== "" && m.email.toLowerCase() === key);
    const idp = members.find((m) => m.idpUsername?.toLowerCase() === key);
    if (named) {
      out.byUsername += 1;
      take(named);
    } else if (mailed.length > 0) {
      out.byEmail += 1;
      mailed.forEach(take);
    } else if (idp) {
      out.byIdp += 1;
      take(idp);
    } else out.unmatched.push(entry);
  }
  return out;
}

/** The cached members the stand-in answers from, read at each call: a test sets them with
 * `cachedMembers.mockResolvedValue([...])` and may change them as it goes. */
export const cachedMembers = vi.fn<() => Promise<Member[]> | undefined>();

/** The backend's members functions answered from `cachedMembers`: spread into a `vi.mock`
 * of the backend module. */
export function memberTableBackend() {
  const read = async () => (await cachedMembers()) ?? [];
  return {
    getMemberPage: vi.fn(
      async (filter: MemberFilter, sort: MemberSort, offset: number, limit: number): Promise<MemberPage> => {
        const all = await read();
        const matched = queryMembers(all, filter, sort);
        return { total: all.length, matched: matched.length, offset, rows: matched.slice(offset, offset + limit) };
      },
    ),
    getMatchingUsernames: vi.fn(async (filter: MemberFilter, sort: MemberSort) =>
      queryMembers(await read(), filter, sort).map((m) => m.username),
    ),
    getMemberFacets: vi.fn(async () => facetsOf(await read())),
    getMember: vi.fn(async (username: string) => {
      const lower = username.toLowerCase();
      return (await read()).find((m) => m.username.toLowerCase() === lower) ?? null;
    }),
    matchList: vi.fn(async (entries: string[]) => matchListOf(entries, await read())),
  };
}
