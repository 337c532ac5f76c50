import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { renderWithQueries } from "../../testing/render";
import { changesText, ImportPage } from "./ImportPage";

vi.mock("../../platform/backend", () => ({
  planImport: vi.fn(),
  runImport: vi.fn(),
  cancelBulk: vi.fn(),
  saveImportResult: vi.fn(),
}));

function row(n: number, action: backend.RowAction, over: Partial<backend.RowPlan> = {}): backend.RowPlan {
  return { row: n, username: `user${n}`, email: `user${n}@example.com`, action, changes: [], reason: null, notes: [], ...over };
}

const plan: backend.ImportPlan = {
  rows: [
    row(2, "update", { changes: [{ field: "role", before: "User", after: "Publisher" }] }),
    row(3, "create", { changes: [{ field: "member", before: "", after: "created: Creator, User" }], notes: ["Emailed a link to set a password."] }),
    row(4, "invalid", { reason: "The username user2 is also on row 2." }),
    row(5, "unchanged"),
  ],
  create: 1,
  invite: 0,
  update: 1,
  unchanged: 1,
  invalid: 1,
  ignoredColumns: ["Status"],
};

function pick() {
  const input = screen.getByTestId<HTMLInputElement>("import-file");
  const file = new File(["Username\nuser2\n"], "people.csv", { type: "text/csv" });
  fireEvent.change(input, { target: { files: [file] } });
  return file;
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("changesText", () => {
  it("reads as field: before → after, and a new member as what is created", () => {
    const [update, create] = plan.rows;
    if (!update || !create) throw new Error("no rows");
    expect(changesText(update)).toBe("Role: User → Publisher");
    expect(changesText(create)).toBe("created: Creator, User");
  });
});

describe("ImportPage", () => {
  it("plans a file, shows the invalid rows first with their reasons, and sends nothing", async () => {
    vi.mocked(backend.planImport).mockResolvedValue(plan);
    renderWithQueries(<ImportPage />);
    expect(screen.getByTestId("import-start")).toBeTruthy();
    const file = pick();
    await waitFor(() => { expect(backend.planImport).toHaveBeenCalledWith(file); });
    const summary = await screen.findByTestId("import-summary");
    expect(summary.textContent).toContain("people.csv: nothing is sent yet. 1 to create, 0 to invite, 1 to update, 1 unchanged, 1 invalid");
    expect(summary.textContent).toContain("Columns left as they are: Status.");
    const rows = await screen.findAllByTestId("import-row");
    expect(rows.map((r) => r.dataset.row)).toEqual(["4"]);
    const invalid = rows[0];
    if (!invalid) throw new Error("no row");
    expect(within(invalid).getByTestId("import-row-detail").textContent).toBe("The username user2 is also on row 2.");
    expect(screen.getByTestId("import-run").textContent).toBe("Import 2 rows");
    expect(backend.runImport).not.toHaveBeenCalled();
  });

  it("runs the valid rows and shows each row's outcome", async () => {
    vi.mocked(backend.planImport).mockResolvedValue(plan);
    vi.mocked(backend.runImport).mockResolvedValue({
      job: 9,
      rows: [
        { row: 2, username: "user2", email: "", action: "update", outcome: "done", reason: null },
        { row: 3, username: "user3", email: "", action: "create", outcome: "failed", reason: "The username 'user3' is already taken." },
        { row: 4, username: "user4", email: "", action: "invalid", outcome: "invalid", reason: "The username user2 is also on row 2." },
        { row: 5, username: "user5", email: "", action: "unchanged", outcome: "unchanged", reason: null },
      ],
      applied: 1,
      failed: 1,
      skipped: 0,
      invalid: 1,
      unchanged: 1,
    });
    renderWithQueries(<ImportPage />);
    pick();
    fireEvent.click(await screen.findByTestId("import-run"));
    const result = await screen.findByTestId("import-result");
    expect(result.textContent).toContain("1 done, 1 failed, 0 skipped, 1 invalid, 1 unchanged. Recorded in History as job #9.");
    const rows = await screen.findAllByTestId("import-row");
    const failed = rows.find((r) => r.dataset.row === "3");
    if (!failed) throw new Error("no row 3");
    expect(failed.dataset.outcome).toBe("failed");
    expect(within(failed).getByTestId("import-row-detail").textContent).toContain("already taken");
    expect(within(failed).getByTestId("import-row-outcome").textContent).toBe("Failed");
    vi.mocked(backend.saveImportResult).mockResolvedValue("/home/admin/import-result.csv");
    fireEvent.click(screen.getByTestId("import-save-result"));
    await waitFor(() => {
      expect(screen.getByTestId("import-result").textContent).toContain("Saved to /home/admin/import-result.csv.");
    });
  });

  it("names a file it cannot read", async () => {
    vi.mocked(backend.planImport).mockRejectedValue(new AppError("invalid_input", "The file has no Username or Email column."));
    renderWithQueries(<ImportPage />);
    pick();
    expect((await screen.findByTestId("import-error")).textContent).toContain("no Username or Email column");
  });
});
