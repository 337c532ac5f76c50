import { createColumnHelper, type SortingState } from "@tanstack/react-table";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DataTable, type PagedRows } from "./DataTable";

interface Row {
  id: string;
  name: string;
  size: number;
}

const column = createColumnHelper<Row>();
const columns = [
  column.accessor("name", { header: "Name" }),
  column.accessor("size", { header: "Size" }),
  column.display({ id: "actions", header: "Actions", meta: { cellClassName: "data-table__actions" } }),
];
const rows: Row[] = ["a", "b", "c", "d", "e"].map((id, i) => ({ id, name: `Row ${id}`, size: i }));
const idOf = (r: Row) => r.id;

function nth<T>(list: T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}

/** A table whose selection and sort live in the test, as a page keeps them. */
function Harness({ initial = [] as string[], onSort = vi.fn<(s: SortingState) => void>() }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(initial));
  const [sorting, setSorting] = useState<SortingState>([{ id: "name", desc: false }]);
  return (
    <DataTable
      rows={rows}
      columns={columns}
      getRowId={idOf}
      testId="things"
      rowTestId="thing-row"
      rowData={(r) => ({ "data-id": r.id })}
      sorting={{
        state: sorting,
        onChange: (s) => {
          onSort(s);
          setSorting(s);
        },
        descFirst: false,
        removable: false,
      }}
      selection={{ selected, onChange: setSelected, allLabel: "Select every thing", rowLabel: (r) => `Select ${r.id}` }}
    />
  );
}

function checked(): string[] {
  return screen
    .getAllByTestId<HTMLInputElement>("things-select")
    .filter((box) => box.checked)
    .map((box) => box.closest("tr")?.dataset.id ?? "");
}

afterEach(cleanup);

describe("DataTable", () => {
  it("draws a row per item with its test id, data attributes and column cells", () => {
    render(<Harness />);
    const drawn = screen.getAllByTestId("thing-row");
    expect(drawn.map((r) => r.dataset.id)).toEqual(["a", "b", "c", "d", "e"]);
    expect(drawn[1]?.querySelector('td[data-column="name"]')?.textContent).toBe("Row b");
    expect(drawn[1]?.querySelector('td[data-column="actions"]')?.className).toBe("data-table__actions");
  });

  it("extends the selection over a range with Shift, and the header box takes every row shown", () => {
    render(<Harness />);
    const boxes = screen.getAllByTestId("things-select");
    fireEvent.click(nth(boxes, 1));
    fireEvent.click(nth(boxes, 3), { shiftKey: true });
    expect(checked()).toEqual(["b", "c", "d"]);
    const all = screen.getByLabelText<HTMLInputElement>("Select every thing");
    expect(all.checked).toBe(false);
    expect(all.indeterminate).toBe(true);
    fireEvent.click(all);
    expect(checked()).toEqual(["a", "b", "c", "d", "e"]);
    expect(all.checked).toBe(true);
    fireEvent.click(all);
    expect(checked()).toEqual([]);
  });

  it("sorts a new column ascending first and reverses it on the next click, when asked to", () => {
    const onSort = vi.fn<(s: SortingState) => void>();
    render(<Harness onSort={onSort} />);
    expect(screen.queryByTestId("things-sort-actions")).toBeNull();
    fireEvent.click(screen.getByTestId("things-sort-size"));
    expect(onSort).toHaveBeenLastCalledWith([{ id: "size", desc: false }]);
    fireEvent.click(screen.getByTestId("things-sort-size"));
    expect(onSort).toHaveBeenLastCalledWith([{ id: "size", desc: true }]);
    fireEvent.click(screen.getByTestId("things-sort-size"));
    expect(onSort).toHaveBeenLastCalledWith([{ id: "size", desc: false }]);
    expect(screen.getByTestId("things-sort-size").closest("th")?.getAttribute("aria-sort")).toBe("ascending");
  });

  it("shows the empty state instead of the table, and an error above the rows", () => {
    const { rerender } = render(
      <DataTable rows={[]} columns={columns} getRowId={idOf} testId="things" rowTestId="thing-row"
        empty={<p data-testid="nothing">Nothing here.</p>} />,
    );
    expect(screen.getByTestId("nothing")).toBeTruthy();
    expect(screen.queryByTestId("things-table")).toBeNull();
    rerender(
      <DataTable rows={rows} columns={columns} getRowId={idOf} testId="things" rowTestId="thing-row"
        empty={<p data-testid="nothing">Nothing here.</p>} error={<p data-testid="failed">Not refreshed.</p>} />,
    );
    expect(screen.queryByTestId("nothing")).toBeNull();
    expect(screen.getByTestId("failed")).toBeTruthy();
    expect(screen.getAllByTestId("thing-row")).toHaveLength(5);
  });

  it("opens a row on click and on Enter, and not from its checkbox", () => {
    const onOpen = vi.fn();
    render(
      <DataTable rows={rows} columns={columns} getRowId={idOf} testId="things" rowTestId="thing-row" onOpen={onOpen}
        selection={{ selected: new Set(), onChange: vi.fn(), allLabel: "Select every thing", rowLabel: (r) => `Select ${r.id}` }} />,
    );
    const drawn = screen.getAllByTestId("thing-row");
    fireEvent.click(nth(drawn, 0));
    fireEvent.keyDown(nth(drawn, 1), { key: "Enter" });
    fireEvent.click(screen.getByLabelText("Select c"));
    expect(onOpen.mock.calls.map(([r]) => (r as Row).id)).toEqual(["a", "b"]);
  });

  it("reads paged rows a window at a time, draws the rows not read yet as pending, and selects by their ids", async () => {
    // The first three rows are read; the ids of all five come from where the rows are kept.
    const onWindow = vi.fn<(first: number, end: number) => void>();
    const loadIds = vi.fn(() => Promise.resolve(rows.map(idOf)));
    function Paged() {
      const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
      const [paged] = useState<PagedRows<Row>>(() => ({
        count: rows.length,
        at: (i) => (i < 3 ? rows[i] : undefined),
        onWindow,
        loadIds,
      }));
      return (
        <DataTable
          rows={paged}
          columns={columns}
          getRowId={idOf}
          testId="things"
          rowTestId="thing-row"
          rowData={(r) => ({ "data-id": r.id })}
          selection={{ selected, onChange: setSelected, allLabel: "Select every thing", rowLabel: (r) => `Select ${r.id}` }}
        />
      );
    }
    const { container } = render(<Paged />);
    expect(screen.getAllByTestId("thing-row").map((r) => r.dataset.id)).toEqual(["a", "b", "c"]);
    expect(container.querySelectorAll(".data-table__row--pending")).toHaveLength(2);
    expect(onWindow).toHaveBeenLastCalledWith(0, 5);

    const boxes = screen.getAllByTestId("things-select");
    fireEvent.click(nth(boxes, 0));
    expect(checked()).toEqual(["a"]);
    expect(loadIds, "one row needs no ids").not.toHaveBeenCalled();
    fireEvent.click(nth(boxes, 2), { shiftKey: true });
    await waitFor(() => {
      expect(checked()).toEqual(["a", "b", "c"]);
    });
    const all = screen.getByLabelText<HTMLInputElement>("Select every thing");
    // Which of the five are selected is unknown until their ids are read: "some".
    expect(all.indeterminate).toBe(true);
    fireEvent.click(all);
    await waitFor(() => {
      expect(loadIds).toHaveBeenCalledTimes(2);
    });
    expect(checked()).toEqual(["a", "b", "c"]);
  });
});
