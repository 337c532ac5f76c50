// The members table: TanStack Table for columns, visibility and sort state; TanStack Virtual
// so only the rows on screen exist in the DOM. The table instance only ever sees the rows in
// the virtual window (sorting and filtering of the whole org happen before, in filter.ts), so
// 100,000 members cost the same per frame as 100.
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type RowData,
  type SortingState,
  type VisibilityState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useRef } from "react";
import type { Member } from "../../platform/backend";
import type { SortKey } from "./filter";

const ROW_HEIGHT = 36;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

function formatDate(ms: number | null): string {
  return ms === null ? "Never" : dateFormat.format(ms);
}

declare module "@tanstack/react-table" {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface TableMeta<TData extends RowData> {
    /** Group id -> title, for the groups column. */
    groupTitles?: ReadonlyMap<string, string>;
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
      const names = c.getValue().map((id) => titles?.get(id) ?? "(unknown group)");
      return <span title={names.length > 2 ? names.sort(collator.compare).join("\n") : undefined}>
        {names.sort(collator.compare).join(", ")}
      </span>;
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

/** Whether the rows shown are selected: none, some or all of them. */
export type SelectionState = "none" | "some" | "all";

interface Props {
  rows: readonly Member[];
  sorting: SortingState;
  onSortingChange: (s: SortingState) => void;
  visibility: VisibilityState;
  onOpen: (m: Member) => void;
  selected: ReadonlySet<string>;
  /** A row's checkbox: `range` (Shift held) extends from the last row toggled. */
  onToggle: (index: number, range: boolean) => void;
  /** The header's checkbox: selects every row shown, or clears them when all are. */
  onToggleAll: () => void;
  selection: SelectionState;
  /** Group id -> title. */
  groupTitles: ReadonlyMap<string, string>;
}

export function MembersTable({
  rows,
  sorting,
  onSortingChange,
  visibility,
  onOpen,
  selected,
  onToggle,
  onToggleAll,
  selection,
  groupTitles,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual returns functions that React Compiler cannot memoize; that is expected.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const end = (items[items.length - 1]?.index ?? -1) + 1;
  // The same array until the window or the rows change: TanStack Table rebuilds its row model
  // whenever `data` is a new array, and a fresh slice on every render made it do so forever.
  const windowRows = useMemo(() => rows.slice(first, end), [rows, first, end]);
  const table = useReactTable({
    data: windowRows,
    columns,
    state: { sorting, columnVisibility: visibility },
    // Nothing is paged here (the virtualizer windows the rows). Left on, the table resets its
    // page index after every new row model: a state update, so a render, so a new row model.
    autoResetPageIndex: false,
    manualSorting: true,
    enableMultiSort: false,
    onSortingChange: (updater) => { onSortingChange(typeof updater === "function" ? updater(sorting) : updater); },
    getCoreRowModel: getCoreRowModel(),
    getRowId: (m) => m.username,
    meta: { groupTitles },
  });
  const paddingTop = items[0]?.start ?? 0;
  const last = items[items.length - 1];
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const visibleColumns = table.getVisibleLeafColumns().length + 1;

  return (
    <div className="members-table" ref={scrollRef} data-testid="members-table" tabIndex={-1}>
      <table aria-rowcount={rows.length + 1}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              <th className="members-table__check">
                <input
                  type="checkbox"
                  aria-label="Select every member shown"
                  data-testid="members-select-all"
                  checked={selection === "all"}
                  ref={(el) => {
                    if (el) el.indeterminate = selection === "some";
                  }}
                  onChange={onToggleAll}
                />
              </th>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        className="members-table__sort"
                        data-testid={`members-sort-${header.id as SortKey}`}
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <calcite-icon
                          scale="s"
                          aria-hidden="true"
                          icon={sorted === "asc" ? "chevron-up" : sorted === "desc" ? "chevron-down" : "sort-ascending-arrow"}
                          className={sorted ? "" : "members-table__sort-idle"}
                        />
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={visibleColumns} style={{ height: paddingTop, padding: 0 }} />
            </tr>
          )}
          {table.getRowModel().rows.map((row, i) => (
            <tr
              key={row.id}
              aria-rowindex={first + i + 2}
              data-testid="members-row"
              data-username={row.original.username}
              tabIndex={0}
              onClick={() => { onOpen(row.original); }}
              onKeyDown={(e) => {
                if (e.key === "Enter") onOpen(row.original);
              }}
              aria-selected={selected.has(row.original.username)}
              style={{ height: ROW_HEIGHT }}
            >
              <td className="members-table__check" onClick={(e) => { e.stopPropagation(); }}>
                <input
                  type="checkbox"
                  aria-label={`Select ${row.original.username}`}
                  data-testid="members-select"
                  checked={selected.has(row.original.username)}
                  onClick={(e) => { onToggle(first + i, e.shiftKey); }}
                  onKeyDown={(e) => { e.stopPropagation(); }}
                  readOnly
                />
              </td>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} data-column={cell.column.id}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
          {paddingBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={visibleColumns} style={{ height: paddingBottom, padding: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
