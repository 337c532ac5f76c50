// The app's one table (members, invitations, a group's members), after Keycloak admin UI's
// KeycloakDataTable: columns, column visibility and the sort state through TanStack Table;
// optionally virtual rows (TanStack Virtual: only the rows on screen exist in the DOM, so
// 100,000 rows cost the same per frame as 100), row selection with a header checkbox and
// Shift ranges, and rows that open on click or Enter. An error shows above the rows; the
// empty state takes the table's place when there are no rows.
//
// Sorting and filtering are the page's: it hands over every row, already in order, or (the
// members table) the rows' count and the rows read so far, a window at a time (`PagedRows`).
// The table only sees the rows it draws. `rows` must keep its identity between renders
// unless the rows change: TanStack Table rebuilds its row model for every new array.
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type Row,
  type RowData,
  type SortingState,
  type TableMeta,
  type VisibilityState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, type ReactNode } from "react";
import "./DataTable.css";

declare module "@tanstack/react-table" {
  // The augmented interface has to repeat TanStack's type parameters, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Class of the column's cells, e.g. `data-table__actions` for a column of buttons. */
    cellClassName?: string;
  }
}

/** Whether the rows shown are selected: none, some or all of them. */
export type SelectionState = "none" | "some" | "all";

export interface DataTableSorting {
  state: SortingState;
  onChange: (sorting: SortingState) => void;
  /** A column's first click sorts descending (true), ascending (false), or by its values'
   * type (unset: text ascending, numbers and dates descending). */
  descFirst?: boolean;
  /** Whether a third click removes the sort (default true). */
  removable?: boolean;
}

export interface DataTableSelection<T> {
  /** The ids (`getRowId`) of the selected rows; rows not shown may be among them. */
  selected: ReadonlySet<string>;
  onChange: (selected: ReadonlySet<string>) => void;
  /** The header checkbox's accessible label. */
  allLabel: string;
  /** A row checkbox's accessible label. */
  rowLabel: (row: T) => string;
}

/** Rows kept elsewhere (the members table's, in Rust), read a window at a time. */
export interface PagedRows<T> {
  /** How many rows there are. */
  count: number;
  /** The row at a position, or undefined while its window is being read. */
  at: (index: number) => T | undefined;
  /** Told which rows are on screen: from `first` to before `end`. */
  onWindow: (first: number, end: number) => void;
  /** The id of every row in order, once read (the header checkbox's state needs them). */
  ids?: readonly string[];
  /** Reads the id of every row in order (select all, Shift ranges). */
  loadIds: () => Promise<readonly string[]>;
}

function isPaged<T>(rows: readonly T[] | PagedRows<T>): rows is PagedRows<T> {
  return !Array.isArray(rows);
}

interface Props<T> {
  /** Every row, in the order shown, or the rows read a window at a time. */
  rows: readonly T[] | PagedRows<T>;
  // Columns mix value types; TanStack's own examples type them this way.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  /** Test ids: `<testId>-table` (the scroll area), `<testId>-sort-<column>`,
   * `<testId>-select-all`, `<testId>-select`. */
  testId: string;
  /** Each row's test id. */
  rowTestId: string;
  /** A row's `data-*` attributes (what tests and people's tools find it by). */
  rowData?: (row: T) => Record<`data-${string}`, string>;
  sorting?: DataTableSorting;
  visibility?: VisibilityState;
  meta?: TableMeta<T>;
  /** Draw only the rows on screen, each `rowHeight` pixels high. */
  virtual?: { rowHeight: number };
  selection?: DataTableSelection<T>;
  /** Clicking a row, or Enter on it, opens it. */
  onOpen?: (row: T) => void;
  /** Shown above the rows: why they could not be read or refreshed. */
  error?: ReactNode;
  /** Shown instead of the table when there are no rows (nothing while still reading). */
  empty?: ReactNode;
}

const NO_SORTING: SortingState = [];
/** A selection whose ids could not be read stays as it was; the rows' own read shows why. */
const ignore = () => undefined;
const ALL_VISIBLE: VisibilityState = {};
const OVERSCAN = 12;

export function DataTable<T>(props: Props<T>) {
  const { rows, getRowId, selection, error, empty } = props;
  const count = isPaged(rows) ? rows.count : rows.length;
  // Selection is by id, so it survives filtering and sorting; Shift+click extends it from the
  // row toggled last, over the rows as shown.
  const anchor = useRef<number | null>(null);
  const selected = selection?.selected;
  // The selection as it is now, for changes that wait for paged rows' ids.
  const latest = useRef(selected);
  useEffect(() => {
    latest.current = selected;
  }, [selected]);
  const ids = useMemo(() => (isPaged(rows) ? rows.ids : rows.map(getRowId)), [rows, getRowId]);
  const state: SelectionState = useMemo(() => {
    if (!selected || selected.size === 0 || count === 0) return "none";
    // Paged rows whose ids are not read yet: some of them, as far as anyone can tell.
    if (!ids) return "some";
    let n = 0;
    for (const id of ids) if (selected.has(id)) n += 1;
    return n === 0 ? "none" : n === ids.length ? "all" : "some";
  }, [selected, ids, count]);

  /** Selects (or unselects) the rows with these ids, from the selection as it is when they come. */
  const apply = (chosen: readonly string[], on: boolean) => {
    if (!selection) return;
    const next = new Set(latest.current);
    for (const id of chosen) {
      if (on) next.add(id);
      else next.delete(id);
    }
    selection.onChange(next);
  };
  const toggle = (index: number, range: boolean) => {
    if (!selection) return;
    const row = isPaged(rows) ? rows.at(index) : rows[index];
    if (!row) return;
    const on = !selection.selected.has(getRowId(row));
    const from = range && anchor.current !== null ? Math.min(anchor.current, index) : index;
    const to = range && anchor.current !== null ? Math.max(anchor.current, index) : index;
    anchor.current = index;
    if (from === to) apply([getRowId(row)], on);
    else if (!isPaged(rows)) apply(rows.slice(from, to + 1).map(getRowId), on);
    // A range of paged rows: their ids, read (once per filter) from where the rows are kept.
    else void rows.loadIds().then((all) => { apply(all.slice(from, to + 1), on); }, ignore);
  };
  const toggleAll = () => {
    if (!selection) return;
    anchor.current = null;
    const on = state !== "all";
    if (!isPaged(rows)) apply(rows.map(getRowId), on);
    else void rows.loadIds().then((all) => { apply(all, on); }, ignore);
  };

  return (
    <div className="data-table-frame">
      {error}
      {count > 0 ? <Grid {...props} selectionState={state} onToggle={toggle} onToggleAll={toggleAll} /> : empty}
    </div>
  );
}

interface GridProps<T> extends Props<T> {
  selectionState: SelectionState;
  onToggle: (index: number, range: boolean) => void;
  onToggleAll: () => void;
}

/** The table itself, mounted while there are rows. */
function Grid<T>({
  rows,
  columns,
  getRowId,
  testId,
  rowTestId,
  rowData,
  sorting,
  visibility,
  meta,
  virtual,
  selection,
  onOpen,
  selectionState,
  onToggle,
  onToggleAll,
}: GridProps<T>) {
  const count = isPaged(rows) ? rows.count : rows.length;
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual returns functions that React Compiler cannot memoize; that is expected.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: virtual ? count : 0,
    enabled: virtual !== undefined,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => virtual?.rowHeight ?? 0,
    overscan: OVERSCAN,
  });
  const items = virtual ? virtualizer.getVirtualItems() : [];
  const first = virtual ? (items[0]?.index ?? 0) : 0;
  const end = virtual ? (items[items.length - 1]?.index ?? -1) + 1 : count;
  const onWindow = isPaged(rows) ? rows.onWindow : undefined;
  useEffect(() => {
    onWindow?.(first, end);
  }, [onWindow, first, end]);
  // The rows on screen, undefined where paged rows are still being read. The same array until
  // the window or the rows change: the table rebuilds its row model for every new array (a
  // fresh slice on every render once made it re-render without end).
  const slots = useMemo((): readonly (T | undefined)[] => {
    if (!isPaged(rows)) return first === 0 && end === rows.length ? rows : rows.slice(first, end);
    const out: (T | undefined)[] = [];
    for (let i = first; i < end; i++) out.push(rows.at(i));
    return out;
  }, [rows, first, end]);
  const drawn = useMemo(
    () => (slots.every((r) => r !== undefined) ? (slots as readonly T[]) : slots.filter((r) => r !== undefined)),
    [slots],
  );
  const table = useReactTable({
    data: drawn as T[],
    columns,
    getRowId,
    state: { sorting: sorting?.state ?? NO_SORTING, columnVisibility: visibility ?? ALL_VISIBLE },
    enableSorting: sorting !== undefined,
    manualSorting: true,
    enableMultiSort: false,
    sortDescFirst: sorting?.descFirst,
    enableSortingRemoval: sorting?.removable ?? true,
    onSortingChange: (updater) => {
      if (sorting) sorting.onChange(typeof updater === "function" ? updater(sorting.state) : updater);
    },
    // Nothing is paged here (the virtualizer windows the rows). Left on, the table resets its
    // page index after every new row model: a state update, so a render.
    autoResetPageIndex: false,
    getCoreRowModel: getCoreRowModel(),
    meta,
  });
  const paddingTop = items[0]?.start ?? 0;
  const last = items[items.length - 1];
  const paddingBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const width = table.getVisibleLeafColumns().length + (selection ? 1 : 0);
  // Each row on screen with its position, or null where it is still being read.
  const modelRows = table.getRowModel().rows;
  const lines: { index: number; row: Row<T> | null }[] = [];
  for (let i = 0, k = 0; i < slots.length; i++) {
    lines.push({ index: first + i, row: slots[i] === undefined ? null : (modelRows[k++] ?? null) });
  }

  return (
    <div
      className={`data-table${virtual ? " data-table--virtual" : ""}`}
      ref={scrollRef}
      data-testid={`${testId}-table`}
      tabIndex={-1}
    >
      <table aria-rowcount={virtual ? count + 1 : undefined}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {selection && (
                <th className="data-table__check">
                  <input
                    type="checkbox"
                    aria-label={selection.allLabel}
                    data-testid={`${testId}-select-all`}
                    checked={selectionState === "all"}
                    ref={(el) => {
                      if (el) el.indeterminate = selectionState === "some";
                    }}
                    onChange={onToggleAll}
                  />
                </th>
              )}
              {group.headers.map((header) => {
                const title = flexRender(header.column.columnDef.header, header.getContext());
                if (!header.column.getCanSort()) return <th key={header.id}>{title}</th>;
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                  >
                    <button
                      type="button"
                      className="data-table__sort"
                      data-testid={`${testId}-sort-${header.id}`}
                      onClick={header.column.getToggleSortingHandler()}
                    >
                      {title}
                      <calcite-icon
                        scale="s"
                        aria-hidden="true"
                        icon={sorted === "asc" ? "chevron-up" : sorted === "desc" ? "chevron-down" : "sort-ascending-arrow"}
                        className={sorted ? "" : "data-table__sort-idle"}
                      />
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td colSpan={width} style={{ height: paddingTop, padding: 0 }} />
            </tr>
          )}
          {lines.map(({ index, row }) => {
            if (!row) {
              return (
                <tr key={`pending-${index}`} aria-hidden="true" className="data-table__row--pending" style={virtual ? { height: virtual.rowHeight } : undefined}>
                  <td colSpan={width} />
                </tr>
              );
            }
            const isSelected = selection?.selected.has(row.id);
            return (
              <tr
                key={row.id}
                {...rowData?.(row.original)}
                data-testid={rowTestId}
                aria-rowindex={virtual ? index + 2 : undefined}
                aria-selected={isSelected}
                className={onOpen ? "data-table__row--opens" : undefined}
                tabIndex={onOpen ? 0 : undefined}
                onClick={onOpen && (() => { onOpen(row.original); })}
                onKeyDown={onOpen && ((e) => {
                  if (e.key === "Enter") onOpen(row.original);
                })}
                style={virtual ? { height: virtual.rowHeight } : undefined}
              >
                {selection && (
                  <td className="data-table__check" onClick={(e) => { e.stopPropagation(); }}>
                    <input
                      type="checkbox"
                      aria-label={selection.rowLabel(row.original)}
                      data-testid={`${testId}-select`}
                      checked={isSelected}
                      onClick={(e) => { onToggle(index, e.shiftKey); }}
                      onKeyDown={(e) => { e.stopPropagation(); }}
                      readOnly
                    />
                  </td>
                )}
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} data-column={cell.column.id} className={cell.column.columnDef.meta?.cellClassName}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true">
              <td colSpan={width} style={{ height: paddingBottom, padding: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
