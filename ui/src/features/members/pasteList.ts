// "Paste a list": the usernames, emails or identity-provider usernames an administrator has
// from HR or a ticket, matched to the organization's members. Entries are separated by line
// breaks, commas, semicolons, tabs or spaces; "Ann Lee <ann@example.com>" counts as the email
// inside the angle brackets; quotes around an entry are dropped. An entry matches a member by
// username, then by email (one email may match several members), then by IdP username, all
// without regard to case.
import type { Member } from "../../platform/backend";

/** The entries of a pasted text, each once (the first spelling kept), in their order. */
export function parseList(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  // An address in angle brackets stands for its whole "Name <address>" entry.
  const bracketed = text.replace(/[^,;\n<>]*<([^<>\s]+)>/g, " $1 ");
  for (const raw of bracketed.split(/[\s,;]+/)) {
    const entry = raw.replace(/^["'`]+|["'`]+$/g, "").trim();
    if (entry === "") continue;
    const key = entry.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out;
}

/** What a list matched. */
export interface ListMatch {
  /** The members matched, by username, in the list's order. */
  usernames: string[];
  /** Entries that match no member, as written. */
  unmatched: string[];
  /** Entries that matched, with how (for the summary). */
  byUsername: number;
  byEmail: number;
  byIdp: number;
}

/** Matches `entries` to `members`. */
export function matchList(entries: readonly string[], members: readonly Member[]): ListMatch {
  const byName = new Map<string, Member>();
  const byEmail = new Map<string, Member[]>();
  const byIdp = new Map<string, Member>();
  for (const m of members) {
    byName.set(m.username.toLowerCase(), m);
    if (m.email) {
      const key = m.email.toLowerCase();
      byEmail.set(key, [...(byEmail.get(key) ?? []), m]);
    }
    if (m.idpUsername) byIdp.set(m.idpUsername.toLowerCase(), m);
  }
  const chosen = new Set<string>();
  const usernames: string[] = [];
  const result: ListMatch = { usernames, unmatched: [], byUsername: 0, byEmail: 0, byIdp: 0 };
  const take = (m: Member) => {
    if (!chosen.has(m.username)) {
      chosen.add(m.username);
      usernames.push(m.username);
    }
  };
  for (const entry of entries) {
    const key = entry.toLowerCase();
    const named = byName.get(key);
    const mailed = byEmail.get(key);
    const idp = byIdp.get(key);
    if (named) {
      result.byUsername += 1;
      take(named);
    } else if (mailed) {
      result.byEmail += 1;
      mailed.forEach(take);
    } else if (idp) {
      result.byIdp += 1;
      take(idp);
    } else {
      result.unmatched.push(entry);
    }
  }
  return result;
}
