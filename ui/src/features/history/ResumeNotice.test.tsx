import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { renderWithQueries } from "../../testing/render";
import { ResumeNotice } from "./ResumeNotice";

vi.mock("../../platform/backend", () => ({
  resumableJobs: vi.fn(),
}));

const cut = (id: number, summary: string): backend.Job => ({
  id,
  portal: "https://demo/sharing/rest",
  admin: "boss",
  kind: "import",
  summary,
  started: Date.UTC(2026, 10, 30, 9),
  ended: null,
  state: "interrupted",
  undoOf: null,
  changes: 40,
  done: 8,
  failed: 0,
  skipped: 0,
  pending: 32,
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("ResumeNotice", () => {
  it("offers the latest job cut off, and the next once it is dismissed", async () => {
    vi.mocked(backend.resumableJobs).mockResolvedValue([cut(12, "Import <b>renames</b>.csv, 40 rows"), cut(5, "Role → Viewer, 3 members")]);
    const onResume = vi.fn();
    renderWithQueries(<ResumeNotice onResume={onResume} />);
    const notice = await screen.findByTestId("resume-notice");
    expect(notice.dataset.job).toBe("12");
    expect(notice.textContent).toContain("Job #12 was cut off before it finished");
    expect(notice.textContent).toContain("“Import <b>renames</b>.csv, 40 rows”: 32 changes have no known outcome.");
    expect(notice.querySelector("b")).toBeNull();
    expect(notice.textContent).toContain("1 more job waits in the History view.");
    fireEvent.click(screen.getByTestId("resume-review"));
    expect(onResume).toHaveBeenCalledWith(12);
    notice.dispatchEvent(new CustomEvent("calciteNoticeClose", { bubbles: true }));
    await waitFor(() => {
      expect(screen.getByTestId("resume-notice").dataset.job).toBe("5");
    });
  });

  it("shows nothing when no job waits", async () => {
    vi.mocked(backend.resumableJobs).mockResolvedValue([]);
    renderWithQueries(<ResumeNotice onResume={vi.fn()} />);
    await waitFor(() => {
      expect(backend.resumableJobs).toHaveBeenCalled();
    });
    expect(screen.queryByTestId("resume-notice")).toBeNull();
  });
});
