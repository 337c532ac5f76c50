import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { typeInto } from "../../testing/calcite";
import { renderWithQueries } from "../../testing/render";
import { OffboardPanel } from "./OffboardPanel";
import { cachedMembers } from "../../testing/memberEngine";

// The members the stand-in engine answers from are the test's `cachedMembers`.
vi.mock("../../platform/backend", async () => {
  const { memberTableBackend } = await import("../../testing/memberEngine");
  return {
    ...memberTableBackend(),
    planOffboard: vi.fn(),
    offboard: vi.fn(),
    cancelBulk: vi.fn(),
  };
});

const impact = (username: string, refused: string | null, more: Partial<backend.Impact> = {}): backend.Impact => ({
  username,
  fullName: `<b>${username}</b>`,
  items: 0,
  folders: 0,
  groupsOwned: [],
  licenses: [],
  refused,
  ...more,
});

const PLAN: backend.OffboardPlan = {
  receiver: null,
  members: [
    impact("boss", "You cannot delete the account you are signed in with."),
    impact("ann", null, { items: 3, folders: 1, licenses: ["ArcGIS Pro Advanced"] }),
    impact("cy", null),
  ],
  deletable: 2,
  refused: 1,
  items: 3,
  folders: 1,
  groups: 0,
  licenses: 1,
};

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("OffboardPanel", () => {
  it("reports the impact, asks for the count, then deletes and lists every member's outcome", async () => {
    cachedMembers.mockResolvedValue([]);
    vi.mocked(backend.planOffboard).mockResolvedValue(PLAN);
    renderWithQueries(<OffboardPanel usernames={["boss", "ann", "cy"]} onClose={vi.fn()} onSelect={vi.fn()} />);
    fireEvent.click(screen.getByTestId("offboard-check"));
    expect((await screen.findByTestId("offboard-summary")).textContent).toBe(
      "2 members will be deleted, with 3 items, 1 folder and 0 owned groups; 1 license taken back first. 1 member cannot be deleted.",
    );
    expect(backend.planOffboard).toHaveBeenCalledWith({ usernames: ["boss", "ann", "cy"], receiver: null });
    const rows = screen.getAllByTestId("offboard-item");
    expect(rows.map((r) => [r.dataset.username, r.dataset.verdict])).toEqual([
      ["boss", "refused"],
      ["ann", "delete"],
      ["cy", "delete"],
    ]);
    expect(screen.getAllByTestId("offboard-impact")[0]?.textContent).toBe("3 items · 1 folder · holds ArcGIS Pro Advanced");
    expect(screen.getByTestId("offboard-reason").textContent).toContain("signed in with");
    // Names are text, never markup.
    expect(rows[0]?.querySelector("b")).toBeNull();
    // Nothing is sent until the count is typed.
    const run = screen.getByTestId("offboard-run");
    expect(run.textContent).toBe("Delete 2 members");
    expect(run.hasAttribute("disabled")).toBe(true);
    typeInto("offboard-confirm", "3");
    expect(screen.getByTestId("offboard-run").hasAttribute("disabled")).toBe(true);
    typeInto("offboard-confirm", "2");
    await waitFor(() => {
      expect(screen.getByTestId("offboard-run").hasAttribute("disabled")).toBe(false);
    });
    vi.mocked(backend.offboard).mockImplementation((_request, onProgress) => {
      onProgress({ done: 2, total: 2 });
      return Promise.resolve({
        items: [
          { username: "boss", outcome: "failed", reason: "Not deleted: You cannot delete the account you are signed in with." },
          { username: "ann", outcome: "done", reason: null },
          { username: "cy", outcome: "done", reason: null },
        ],
        done: 2,
        failed: 1,
        skipped: 0,
      });
    });
    fireEvent.click(screen.getByTestId("offboard-run"));
    expect((await screen.findByTestId("bulk-summary-result")).textContent).toBe("2 done, 1 failed, 0 skipped.");
    // Only the members the report said will go.
    expect(backend.offboard).toHaveBeenCalledWith({ usernames: ["ann", "cy"], receiver: null }, expect.any(Function));
  });

  it("says why the impact could not be read", async () => {
    cachedMembers.mockResolvedValue([]);
    vi.mocked(backend.planOffboard).mockRejectedValue(new Error("the portal could not be reached"));
    renderWithQueries(<OffboardPanel usernames={["ann"]} onClose={vi.fn()} onSelect={vi.fn()} />);
    fireEvent.click(screen.getByTestId("offboard-check"));
    expect((await screen.findByTestId("offboard-plan-error")).textContent).toContain("The impact could not be read");
    expect(backend.offboard).not.toHaveBeenCalled();
  });
});
