// "Paste a list": the usernames, emails or identity-provider usernames an administrator has
// from HR or a ticket, read as entries to match to the organization's members (the Rust side
// matches them: `members::table::match_list`). Entries are separated by line breaks, commas,
// semicolons, tabs or spaces; "Ann Lee <ann@example.com>" counts as the email inside the
// angle brackets; quotes around an entry are dropped.

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
