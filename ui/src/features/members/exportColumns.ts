// Which columns an export writes: the ones the import needs to recognise a member and its
// names (username, first and last name, email), then those the table shows, in its order.
import type { VisibilityState } from "@tanstack/react-table";
import type { Column } from "../../platform/backend";

/** The table's columns and what each is in a CSV file. */
const TABLE_TO_CSV: readonly (readonly [string, Column])[] = [
  ["fullName", "fullName"],
  ["roleName", "role"],
  ["userTypeName", "userType"],
  ["disabled", "status"],
  ["lastLogin", "lastLogin"],
  ["created", "created"],
  ["groups", "groups"],
  ["licenses", "licenses"],
  ["provider", "provider"],
];

/** The CSV columns of an export of the table with `visibility`. */
export function exportColumns(visibility: VisibilityState): Column[] {
  const shown = TABLE_TO_CSV.filter(([id]) => visibility[id] !== false).map(([, c]) => c);
  return ["username", "firstName", "lastName", "email", ...shown];
}
