// One cached member as the panels read it (`memberQuery`), and a row the UI already holds put
// there, so that a panel opened from a table row, a picker or a save shows it at once.
import { useQuery, type QueryClient } from "@tanstack/react-query";
import type { Member } from "../../platform/backend";
import { memberQuery } from "../../platform/queries";

/** The cached member named `username`; null while none is named, read or cached. */
export function useCachedMember(username: string | null): Member | null {
  return useQuery({ ...memberQuery(username ?? ""), enabled: username !== null }).data ?? null;
}

/** `member` as the cache holds it now: what `useCachedMember` shows until it is read again. */
export function knownMember(client: QueryClient, member: Member): void {
  client.setQueryData(memberQuery(member.username).queryKey, member);
}
