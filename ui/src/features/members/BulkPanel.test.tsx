import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { BulkPanel, describe as describeChange } from "./BulkPanel";
import { renderWithQueries } from "../../testing/render";

vi.mock("../../platform/backend", () => ({
  getMemberChoices: vi.fn(),
  getGroups: vi.fn(),
  bulkChange: vi.fn(),
  cancelBulk: vi.fn(),
}));

function choose(testId: string, value: string) {
  const element = screen.getByTestId<HTMLSelectElement>(testId);
  element.value = value;
  fireEvent(element, new CustomEvent("calciteSelectChange", { bubbles: true }));
}

function renderPanel(onSelect = vi.fn()) {
  vi.mocked(backend.getMemberChoices).mockResolvedValue({
    roles: [
      { id: "org_user", name: "User", baseRole: null, refusedRoles: [] },
      { id: "org_publisher", name: "Publisher", baseRole: null, refusedRoles: [] },
    ],
    userTypes: [{ id: "creatorUT", name: "Creator", baseRole: null, refusedRoles: [] }],
  });
  renderWithQueries(<BulkPanel usernames={["ann", "bob", "cy"]} onClose={vi.fn()} onSelect={onSelect} />);
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("BulkPanel", () => {
  it("says what Apply will do, sends the selection, and lists every outcome", async () => {
    vi.mocked(backend.bulkChange).mockImplementation((_request, onProgress) => {
      onProgress({ done: 1, total: 3 });
      return Promise.resolve({
        items: [
          { username: "ann", outcome: "done", reason: null },
          { username: "bob", outcome: "failed", reason: "The user type is not compatible with the role." },
          { username: "cy", outcome: "done", reason: null },
        ],
        done: 2,
        failed: 1,
        skipped: 0,
      });
    });
    const onSelect = vi.fn();
    renderPanel(onSelect);
    await screen.findByText("Publisher");
    expect(screen.getByTestId("bulk-summary").textContent).toBe("Choose a role.");
    choose("bulk-target", "org_publisher");
    expect(screen.getByTestId("bulk-summary").textContent).toBe("Give 3 members the role Publisher.");
    fireEvent.submit(screen.getByTestId("bulk-form"));
    await screen.findByTestId("bulk-results");
    expect(backend.bulkChange).toHaveBeenCalledWith(
      { kind: "setRole", target: "org_publisher", usernames: ["ann", "bob", "cy"] },
      expect.any(Function),
    );
    expect(screen.getByTestId("bulk-summary-result").textContent).toContain("2 done, 1 failed, 0 skipped");
    // Failures are listed first, with the portal's reason.
    const rows = screen.getAllByTestId("bulk-result");
    expect(rows.map((r) => r.dataset.username)).toEqual(["bob"]);
    expect(rows[0]?.textContent).toContain("not compatible");
    fireEvent.click(screen.getByTestId("bulk-select-failed"));
    expect(onSelect).toHaveBeenCalledWith(["bob"]);
  });

  it("does not send a change without its target, and keeps the form when the job is refused", async () => {
    vi.mocked(backend.bulkChange).mockRejectedValue(new AppError("auth_required", "Your session has ended. Sign in again."));
    renderPanel();
    await screen.findByText("Publisher");
    fireEvent.submit(screen.getByTestId("bulk-form"));
    expect(backend.bulkChange).not.toHaveBeenCalled();
    choose("bulk-action", "disable");
    expect(screen.queryByTestId("bulk-target")).toBeNull();
    fireEvent.submit(screen.getByTestId("bulk-form"));
    await waitFor(() => {
      expect(screen.getByTestId("bulk-error").textContent).toContain("Sign in again");
    });
    expect(backend.bulkChange).toHaveBeenCalledWith(
      { kind: "disable", target: "", usernames: ["ann", "bob", "cy"] },
      expect.any(Function),
    );
    expect(screen.getByTestId("bulk-apply")).toBeTruthy();
  });

  it("describes each kind of change in words", () => {
    expect(describeChange("enable", 1, "")).toBe("Enable 1 member, so they can sign in again.");
    expect(describeChange("addToGroup", 1200, "Field crews")).toBe("Add 1,200 members to the group Field crews.");
  });
});
