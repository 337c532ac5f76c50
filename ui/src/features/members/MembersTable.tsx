// The members table: the member columns (the ids double as sort keys) in the shared
// DataTable, with virtual rows read a window at a time from the Rust side (100,000 members
// cost the same per frame and in memory as 100), selection with Shift ranges, and a row that
// opens the member's panel.
import { createColumnHelper, type RowData, type SortingState, type VisibilityState } from "@tanstack/react-table";
import { useMemo, type ReactNode } from "react";
import type { Member } from "../../platform/backend";
import { DataTable, type PagedRows } from "../../components/DataTable";

const ROW_HEIGHT = 36;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

function formatDate(ms: number | null): string {
  return ms === null ? "Never" : dateFormat.format(ms);
}

declare module "@tanstack/react-table" {
  // The augmented interface has to repeat TanStack's type parameter, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface TableMeta<TData extends RowData> {
    /** Group id -> title, for the groups column. */
    groupTitles?: ReadonlyMap<string, string>;
    /** License key -> name, for the licenses column. */
    licenseNames?: ReadonlyMap<string, string>;
  }
}

const column = createColumnHelper<Member>();

const collator = new Intl.Collator(undefined, { sensitivity: "base" });

/** Every column a person can show; the ids double as sort keys. */
export const columns = [
  column.accessor("username", { id: "username", header: "Username" }),
  column.accessor("fullName", { id: "fullName", header: "Full name" }),
  column.accessor("email", { id: "email", header: "Email" }),
  column.accessor("roleName", { id: "roleName", header: "Role" }),
  column.accessor("userTypeName", { id: "userTypeName", header: "User type" }),
  column.accessor("disabled", {
    id: "disabled",
    header: "Status",
    cell: (c) =>
      c.getValue() ? (
        <span className="status status--disabled">Disabled</span>
      ) : (
        <span className="status status--active">Active</span>
      ),
  }),
  column.accessor("lastLogin", {
    id: "lastLogin",
    header: "Last login",
    cell: (c) => formatDate(c.getValue()),
  }),
  column.accessor("created", {
    id: "created",
    header: "Created",
    cell: (c) => formatDate(c.getValue()),
  }),
  column.accessor("groups", {
    id: "groups",
    header: "Groups",
    enableSorting: false,
    cell: (c) => {
      const titles = c.table.options.meta?.groupTitles;
      const ids = c.getValue();
      // The groups' titles are still being read: how many, not "(unknown group)" each.
      if (!titles) return ids.length === 0 ? "" : `${ids.length} ${ids.length === 1 ? "group" : "groups"}`;
      const names = ids.map((id) => titles.get(id) ?? "(unknown group)");
      return <span title={names.length > 2 ? names.sort(collator.compare).join("\n") : undefined}>
        {names.sort(collator.compare).join(", ")}
      </span>;
    },
  }),
  column.accessor("licenses", {
    id: "licenses",
    header: "Licenses",
    enableSorting: false,
    cell: (c) => {
      const names = c.table.options.meta?.licenseNames;
      const held = c.getValue().map((k) => names?.get(k) ?? k).sort(collator.compare);
      return <span title={held.length > 1 ? held.join("\n") : undefined}>{held.join(", ")}</span>;
    },
  }),
  column.accessor("provider", {
    id: "provider",
    header: "Provider",
    enableSorting: false,
    cell: (c) => (c.getValue() === "enterprise" ? "Identity provider" : "ArcGIS"),
  }),
];

export const defaultVisibility: VisibilityState = { created: false, provider: false };

const usernameOf = (m: Member) => m.username;
const selectLabel = (m: Member) => `Select ${m.username}`;
const rowData = (m: Member) => ({ "data-username": m.username });

interface Props {
  /** The members the filters show, in the order shown, read a window at a time. */
  rows: PagedRows<Member>;
  sorting: SortingState;
  onSortingChange: (s: SortingState) => void;
  visibility: VisibilityState;
  onOpen: (m: Member) => void;
  /** Selected usernames. */
  selected: ReadonlySet<string>;
  onSelectedChange: (selected: ReadonlySet<string>) => void;
  /** Group id -> title. */
  groupTitles: ReadonlyMap<string, string> | undefined;
  /** License key -> name. */
  licenseNames?: ReadonlyMap<string, string>;
  /** Why the members could not be read or loaded. */
  error?: ReactNode;
  /** What shows when no member is shown. */
  empty?: ReactNode;
}

export function MembersTable({
  rows,
  sorting,
  onSortingChange,
  visibility,
  onOpen,
  selected,
  onSelectedChange,
  groupTitles,
  licenseNames,
  error,
  empty,
}: Props) {
  const meta = useMemo(() => ({ groupTitles, licenseNames }), [groupTitles, licenseNames]);
  return (
    <DataTable
      rows={rows}
      columns={columns}
      getRowId={usernameOf}
      testId="members"
      rowTestId="members-row"
      rowData={rowData}
      sorting={{ state: sorting, onChange: onSortingChange }}
      visibility={visibility}
      meta={meta}
      virtual={{ rowHeight: ROW_HEIGHT }}
      selection={{
        selected,
        onChange: onSelectedChange,
        allLabel: "Select every member shown",
        rowLabel: selectLabel,
      }}
      onOpen={onOpen}
      error={error}
      empty={empty}
    />
  );
}
