// Changes a few rows of the members the UI holds to what the portal now holds (the Rust side
// has already updated its cache), instead of reading every member again.
import type { QueryClient } from "@tanstack/react-query";
import type { Member } from "../../platform/backend";
import { queryKeys } from "../../platform/queries";

export function patchMembers(client: QueryClient, usernames: readonly string[], change: (m: Member) => Member): void {
  const names = new Set(usernames);
  client.setQueryData<Member[]>(queryKeys.members, (rows) =>
    rows?.map((m) => (names.has(m.username) ? change(m) : m)),
  );
}
