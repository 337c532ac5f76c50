import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { BulkPanel, describe as describeChange } from "./BulkPanel";
import { renderWithQueries } from "../../testing/render";

vi.mock("../../platform/backend", () => ({
  getMemberChoices: vi.fn(),
  getGroups: vi.fn(),
  getLicenseOffers: vi.fn(),
  previewBulk: vi.fn(),
  bulkChange: vi.fn(),
  cancelBulk: vi.fn(),
}));

const OFFERS = {
  userTypes: [],
  products: [
    {
      itemId: "pro",
      title: "ArcGIS Pro",
      maxUsers: 10,
      userTypes: ["creatorUT"],
      ends: null,
      entitlements: [
        { key: "pro/desktopStdN", id: "desktopStdN", name: "ArcGIS Pro Standard", purchased: 5, exclusive: "level" },
      ],
    },
  ],
  bundles: [],
  readAt: 1,
};

/** A plan where ann and cy change and bob cannot. */
const PLAN = {
  items: [
    { username: "ann", fullName: "Ann", verdict: "change" as const, reason: null },
    { username: "bob", fullName: "<b>Bob</b>", verdict: "refused" as const, reason: "Mobile Worker does not allow Publisher" },
    { username: "cy", fullName: "Cy", verdict: "change" as const, reason: null },
  ],
  change: 2,
  unchanged: 0,
  refused: 1,
  summary: ["3 selected: 2 will change", "1 cannot: Mobile Worker does not allow Publisher"],
};

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
  vi.mocked(backend.getLicenseOffers).mockResolvedValue(OFFERS);
  renderWithQueries(<BulkPanel usernames={["ann", "bob", "cy"]} onClose={vi.fn()} onSelect={onSelect} />);
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("BulkPanel", () => {
  it("previews the change, sends only the members that can change, and lists every outcome", async () => {
    vi.mocked(backend.previewBulk).mockResolvedValue(PLAN);
    vi.mocked(backend.bulkChange).mockImplementation((_request, onProgress) => {
      onProgress({ done: 1, total: 2 });
      return Promise.resolve({
        items: [
          { username: "ann", outcome: "done", reason: null },
          { username: "cy", outcome: "failed", reason: "The portal is busy." },
        ],
        done: 1,
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
    await screen.findByTestId("bulk-preview");
    expect(backend.previewBulk).toHaveBeenCalledWith({
      kind: "setRole",
      target: "org_publisher",
      usernames: ["ann", "bob", "cy"],
    });
    expect(backend.bulkChange).not.toHaveBeenCalled();
    // The refusals come first, named with their reason; names are text, never markup.
    expect(screen.getByTestId("bulk-plan-summary").textContent).toContain(
      "1 cannot: Mobile Worker does not allow Publisher",
    );
    const refused = screen.getAllByTestId("bulk-plan-item");
    expect(refused.map((r) => r.dataset.username)).toEqual(["bob"]);
    expect(refused[0]?.querySelector("b")).toBeNull();
    expect(screen.getByTestId("bulk-apply").textContent).toBe("Apply to the 2 members that can change");
    fireEvent.click(screen.getByTestId("bulk-apply"));
    await screen.findByTestId("bulk-results");
    expect(backend.bulkChange).toHaveBeenCalledWith(
      { kind: "setRole", target: "org_publisher", usernames: ["ann", "cy"] },
      expect.any(Function),
    );
    expect(screen.getByTestId("bulk-summary-result").textContent).toContain("1 done, 1 failed, 0 skipped");
    const rows = screen.getAllByTestId("bulk-result");
    expect(rows.map((r) => r.dataset.username)).toEqual(["cy"]);
    fireEvent.click(screen.getByTestId("bulk-select-failed"));
    expect(onSelect).toHaveBeenCalledWith(["cy"]);
  });

  it("offers the licenses the organization bought, and keeps the form when the check is refused", async () => {
    vi.mocked(backend.previewBulk).mockRejectedValue(new AppError("auth_required", "Your session has ended. Sign in again."));
    renderPanel();
    await screen.findByText("Publisher");
    fireEvent.submit(screen.getByTestId("bulk-form"));
    expect(backend.previewBulk).not.toHaveBeenCalled();
    choose("bulk-action", "revokeLicense");
    await screen.findByText("ArcGIS Pro Standard (ArcGIS Pro)");
    expect(screen.getByText("Everything of ArcGIS Pro")).toBeTruthy();
    choose("bulk-target", "pro/desktopStdN");
    expect(screen.getByTestId("bulk-summary").textContent).toBe(
      "Take the license ArcGIS Pro Standard (ArcGIS Pro) from 3 members.",
    );
    fireEvent.submit(screen.getByTestId("bulk-form"));
    await waitFor(() => {
      expect(screen.getByTestId("bulk-error").textContent).toContain("Sign in again");
    });
    expect(backend.previewBulk).toHaveBeenCalledWith({
      kind: "revokeLicense",
      target: "pro/desktopStdN",
      usernames: ["ann", "bob", "cy"],
    });
    expect(backend.bulkChange).not.toHaveBeenCalled();
    expect(screen.getByTestId("bulk-check")).toBeTruthy();
  });

  it("describes each kind of change in words", () => {
    expect(describeChange("enable", 1, "")).toBe("Enable 1 member, so they can sign in again.");
    expect(describeChange("addToGroup", 1200, "Field crews")).toBe("Add 1,200 members to the group Field crews.");
  });
});
