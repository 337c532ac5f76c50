import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { renderWithQueries } from "../../testing/render";
import { typeInto } from "../../testing/calcite";
import { HistoryPage } from "./HistoryPage";

vi.mock("../../platform/backend", () => ({
  getJobs: vi.fn(),
  getHistory: vi.fn(),
  exportHistory: vi.fn(),
}));

const job: backend.Job = {
  id: 7,
  portal: "https://demo/sharing/rest",
  admin: "boss",
  kind: "setRole",
  summary: "Role → Publisher, 2 members",
  started: Date.UTC(2026, 10, 30, 9),
  ended: Date.UTC(2026, 10, 30, 9, 1),
  state: "finished",
  undoOf: null,
  changes: 2,
  done: 1,
  failed: 1,
  skipped: 0,
  pending: 0,
};

function change(id: number, member: string, outcome: backend.ChangeOutcome, message: string | null = null): backend.Change {
  return {
    id,
    job: 7,
    seq: id,
    member,
    field: "role",
    beforeText: "User",
    afterText: "<b>Publisher</b>",
    outcome,
    message,
    at: job.started,
    admin: "boss",
    kind: "setRole",
    portal: job.portal,
    summary: job.summary,
  };
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("HistoryPage", () => {
  it("lists jobs with their counts and changes with their outcome and reason", async () => {
    vi.mocked(backend.getJobs).mockResolvedValue([job]);
    vi.mocked(backend.getHistory).mockResolvedValue([
      change(1, "ann", "done"),
      change(2, "vic", "failed", "Viewer does not allow Publisher."),
    ]);
    renderWithQueries(<HistoryPage />);
    const jobRow = await screen.findByTestId("job-row");
    expect(within(jobRow).getByTestId("job-counts").textContent).toBe("1 done · 1 failed");
    expect(within(jobRow).getByTestId("job-state").textContent).toBe("Finished");
    const rows = await screen.findAllByTestId("change-row");
    expect(rows.map((r) => r.dataset.member)).toEqual(["ann", "vic"]);
    const refused = rows[1];
    if (!refused) throw new Error("no row");
    expect(within(refused).getByTestId("change-outcome").textContent).toBe("Failed");
    expect(within(refused).getByTestId("change-message").textContent).toBe("Viewer does not allow Publisher.");
    // Text from the portal is shown as text, never as markup.
    expect(within(refused).getByTestId("change-after").textContent).toBe("<b>Publisher</b>");
    expect(refused.querySelector("b")).toBeNull();
    expect(screen.getByTestId("history-count").textContent).toBe("2 changes");
    vi.mocked(backend.exportHistory).mockResolvedValue("/home/admin/history.csv");
    fireEvent.click(screen.getByTestId("history-export"));
    expect((await screen.findByTestId("history-exported")).textContent).toContain("saved to /home/admin/history.csv");
    expect(backend.exportHistory).toHaveBeenCalledWith(expect.objectContaining({ member: null, job: null }));
  });

  it("asks the journal for a member's changes and a job's, and says when none match", async () => {
    vi.mocked(backend.getJobs).mockResolvedValue([job]);
    vi.mocked(backend.getHistory).mockResolvedValue([change(1, "ann", "done")]);
    renderWithQueries(<HistoryPage />);
    await screen.findAllByTestId("change-row");
    vi.mocked(backend.getHistory).mockResolvedValue([]);
    typeInto("history-filter-member", "zed", "calciteInputInput");
    await waitFor(() => {
      expect(backend.getHistory).toHaveBeenLastCalledWith(expect.objectContaining({ member: "zed", job: null }));
    });
    expect(await screen.findByTestId("history-empty")).toBeTruthy();
    fireEvent.click(screen.getByTestId("job-row"));
    await waitFor(() => {
      expect(backend.getHistory).toHaveBeenLastCalledWith(expect.objectContaining({ member: "zed", job: 7 }));
    });
    fireEvent.click(screen.getByTestId("history-clear"));
    await waitFor(() => {
      expect(backend.getHistory).toHaveBeenLastCalledWith(expect.objectContaining({ member: null, job: null }));
    });
  });

  it("says when nothing was sent yet, and when the journal cannot be read", async () => {
    vi.mocked(backend.getJobs).mockResolvedValue([]);
    vi.mocked(backend.getHistory).mockRejectedValue(new AppError("internal", "the journal of changes failed: disk I/O error"));
    renderWithQueries(<HistoryPage />);
    expect(await screen.findByTestId("jobs-none")).toBeTruthy();
    expect((await screen.findByTestId("history-error")).textContent).toContain("disk I/O error");
  });
});
