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
  planUndo: vi.fn(),
  undo: vi.fn(),
  planResume: vi.fn(),
  resumeJob: vi.fn(),
  cancelBulk: vi.fn(),
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

  it("previews an undo with its conflicts and refusals, runs it and lists the outcomes", async () => {
    vi.mocked(backend.getJobs).mockResolvedValue([job]);
    vi.mocked(backend.getHistory).mockResolvedValue([change(1, "ann", "done"), change(2, "vic", "failed", "No.")]);
    const item = (member: string, verdict: backend.UndoVerdict, extra: Partial<backend.UndoItem> = {}): backend.UndoItem => ({
      change: 1,
      member,
      field: "role",
      beforeText: "User",
      afterText: "Publisher",
      currentText: "Publisher",
      verdict,
      action: verdict === "undo" ? "Publisher → User" : "",
      reason: null,
      ...extra,
    });
    vi.mocked(backend.planUndo).mockResolvedValue({
      job: 7,
      summary: job.summary,
      items: [
        item("ann", "undo"),
        item("bea", "conflict", { currentText: "<i>Administrator</i>" }),
        item("cid", "refused", { field: "member", reason: "cid has signed in since (2026-11-30)." }),
      ],
      undo: 1,
      unchanged: 0,
      conflicts: 1,
      refused: 1,
      notApplied: 1,
    });
    renderWithQueries(<HistoryPage />);
    const rows = await screen.findAllByTestId("change-row");
    // Only a change that reached the portal can be undone.
    expect(rows.map((r) => within(r).queryByTestId("change-undo") !== null)).toEqual([true, false]);
    fireEvent.click(await screen.findByTestId("job-undo"));
    expect(backend.planUndo).toHaveBeenCalledWith({ job: 7, change: null });
    // The click on the button did not open the row (the changes are not filtered to the job).
    expect(backend.getHistory).not.toHaveBeenCalledWith(expect.objectContaining({ job: 7 }));
    const summary = await screen.findByTestId("undo-summary");
    expect(summary.textContent).toBe(
      "1 change will be set back. 1 changed since (left as they are). 1 cannot be undone. 1 never reached the portal.",
    );
    const items = screen.getAllByTestId("undo-item");
    const at = (i: number) => {
      const e = items[i];
      if (!e) throw new Error(`no item ${i}`);
      return e;
    };
    // Conflicts and refusals first.
    expect(items.map((i) => i.dataset.verdict)).toEqual(["conflict", "refused", "undo"]);
    expect(within(at(0)).getByTestId("undo-conflict").textContent).toBe("Now <i>Administrator</i>; the job set Publisher.");
    expect(items[0]?.querySelector("i")).toBeNull();
    expect(within(at(1)).getByTestId("undo-reason").textContent).toContain("signed in since");
    expect(within(at(2)).getByTestId("undo-action").textContent).toBe("Publisher → User");
    const runButton = screen.getByTestId("undo-run");
    expect(runButton.textContent).toBe("Undo 1 change");
    vi.mocked(backend.undo).mockImplementation((_request, onProgress) => {
      onProgress({ done: 1, total: 1 });
      return Promise.resolve({
        job: 8,
        items: [{ member: "ann", field: "role", outcome: "done", reason: null }],
        done: 1,
        failed: 0,
        skipped: 0,
      });
    });
    fireEvent.click(runButton);
    expect((await screen.findByTestId("undo-report-summary")).textContent).toBe("1 undone, 0 failed, 0 skipped (job #8).");
    expect(screen.getByTestId("undo-outcome").dataset.outcome).toBe("done");
    expect(backend.undo).toHaveBeenCalledWith({ job: 7, change: null }, expect.any(Function));
    // The journal is read again: the undo is a job of its own.
    await waitFor(() => {
      expect(vi.mocked(backend.getJobs).mock.calls.length).toBeGreaterThan(1);
    });
    fireEvent.click(screen.getByTestId("undo-close"));
    expect(screen.queryByTestId("undo-panel")).toBeNull();
  });

  it("undoes one change, and says why when nothing can be undone", async () => {
    vi.mocked(backend.getJobs).mockResolvedValue([job]);
    vi.mocked(backend.getHistory).mockResolvedValue([change(1, "ann", "done")]);
    vi.mocked(backend.planUndo).mockResolvedValue({
      job: 7,
      summary: job.summary,
      items: [
        {
          change: 1,
          member: "ann",
          field: "role",
          beforeText: "User",
          afterText: "Publisher",
          currentText: "User",
          verdict: "unchanged",
          action: "",
          reason: null,
        },
      ],
      undo: 0,
      unchanged: 1,
      conflicts: 0,
      refused: 0,
      notApplied: 0,
    });
    renderWithQueries(<HistoryPage />);
    const [row] = await screen.findAllByTestId("change-row");
    if (!row) throw new Error("no row");
    fireEvent.click(within(row).getByTestId("change-undo"));
    expect(backend.planUndo).toHaveBeenCalledWith({ job: 7, change: 1 });
    expect((await screen.findByTestId("undo-summary")).textContent).toBe("Nothing can be undone now. 1 already back.");
    expect(screen.getByTestId("undo-run").hasAttribute("disabled")).toBe(true);
  });

  it("resumes a job that was cut off: what went through is not sent again", async () => {
    const cut: backend.Job = { ...job, id: 9, state: "interrupted", ended: null, done: 1, failed: 0, pending: 3, changes: 4 };
    vi.mocked(backend.getJobs).mockResolvedValue([cut, job]);
    vi.mocked(backend.getHistory).mockResolvedValue([]);
    const item = (member: string, verdict: backend.ResumeVerdict, reason: string | null = null): backend.ResumeItem => ({
      change: 1,
      member,
      field: "role",
      beforeText: "User",
      afterText: "Publisher",
      currentText: verdict === "applied" ? "Publisher" : verdict === "conflict" ? "<i>Administrator</i>" : "User",
      verdict,
      reason,
    });
    vi.mocked(backend.planResume).mockResolvedValue({
      job: cut,
      items: [item("ann", "applied"), item("bob", "send"), item("cy", "conflict", "Changed since: the portal holds 'Administrator'.")],
      applied: 1,
      send: 1,
      conflicts: 1,
      refused: 0,
    });
    renderWithQueries(<HistoryPage />);
    const buttons = await screen.findAllByTestId("job-resume");
    // Only the job cut off with changes of unknown outcome can be resumed.
    expect(buttons).toHaveLength(1);
    const [button] = buttons;
    if (!button) throw new Error("no Resume button");
    fireEvent.click(button);
    expect(backend.planResume).toHaveBeenCalledWith({ job: 9 });
    expect((await screen.findByTestId("resume-summary")).textContent).toBe(
      "3 changes have no known outcome. 1 went through (not sent again). 1 never arrived and will be sent. 1 changed since (left as they are).",
    );
    const items = screen.getAllByTestId("resume-item");
    expect(items.map((i) => i.dataset.verdict)).toEqual(["conflict", "send", "applied"]);
    const send = items[1];
    if (!send) throw new Error("no item to send");
    expect(within(send).getByTestId("resume-action").textContent).toBe("User → Publisher");
    expect(items[0]?.querySelector("i")).toBeNull();
    vi.mocked(backend.resumeJob).mockResolvedValue({
      job: 9,
      items: [
        { member: "ann", field: "role", outcome: "done", reason: "Found in place when the job was resumed: not sent again." },
        { member: "bob", field: "role", outcome: "done", reason: null },
        { member: "cy", field: "role", outcome: "failed", reason: "Not resumed: changed since." },
      ],
      done: 2,
      failed: 1,
      skipped: 0,
    });
    const run = screen.getByTestId("resume-run");
    expect(run.textContent).toBe("Resume 3 changes");
    fireEvent.click(run);
    expect((await screen.findByTestId("resume-report-summary")).textContent).toBe("2 done, 1 failed, 0 skipped (job #9).");
    expect(screen.getAllByTestId("resume-outcome").map((o) => o.dataset.outcome)).toEqual(["failed", "done", "done"]);
    expect(backend.resumeJob).toHaveBeenCalledWith({ job: 9 }, expect.any(Function));
  });
});
