// After a change to members the Rust side has already put into its cache: everything the UI
// read about members (the table's windows, the counts, an open member, the pickers) is read
// again, and only what is on screen is read at once.
import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "../../platform/queries";

export function membersChanged(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: queryKeys.members });
}
