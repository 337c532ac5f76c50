import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { MembersPage } from "./MembersPage";
import { testMember } from "./testMembers";
import { renderWithQueries } from "../../testing/render";
import { testSession } from "../../testing/session";

vi.mock("../../platform/backend", () => ({
  getMembers: vi.fn(),
  loadMembers: vi.fn(),
  getGroups: vi.fn(() => Promise.resolve([{ id: "g1", title: "Field Crews", owner: "demo_admin", access: "org" }])),
}));

const member = testMember;

const loaded = testSession({ cache: { members: 3, loadedAt: 1 } });

function renderPage(session: backend.SessionInfo) {
  renderWithQueries(<MembersPage session={session} />);
}

afterEach(cleanup);

describe("MembersPage", () => {
  it("counts the members that match as the filter text changes", async () => {
    vi.mocked(backend.getMembers).mockResolvedValue([
      member("jsmith", { groups: ["g1"] }),
      member("jsmithers", { disabled: true }),
      member("other"),
    ]);
    renderPage(loaded);
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("3 members");
    });
    const input = screen.getByTestId<HTMLInputElement>("members-filter-text");
    input.value = "smith";
    fireEvent(input, new CustomEvent("calciteInputInput", { bubbles: true }));
    expect(screen.getByTestId("members-count").textContent).toBe("2 of 3 members");
    input.value = "nobody";
    fireEvent(input, new CustomEvent("calciteInputInput", { bubbles: true }));
    expect(screen.getByTestId("members-empty")).toBeTruthy();
    expect(backend.loadMembers).not.toHaveBeenCalled();
  });

  // (Rows are not laid out in jsdom, so the groups column is checked in the real window.)
  it("offers every group with its member count and filters by group", async () => {
    vi.mocked(backend.getMembers).mockResolvedValue([
      member("jsmith", { groups: ["g1"] }),
      member("other"),
    ]);
    renderPage(loaded);
    const select = screen.getByTestId("members-filter-group");
    await waitFor(() => {
      const options = [...select.querySelectorAll("calcite-option")].map((o) => o.textContent);
      expect(options).toEqual(["All groups", "In no group (1)", "Field Crews (1)"]);
    });
    Object.defineProperty(select, "value", { value: "g1", configurable: true });
    fireEvent(select, new CustomEvent("calciteSelectChange", { bubbles: true }));
    expect(screen.getByTestId("members-count").textContent).toBe("1 of 2 members");
  });

  it("loads a portal never loaded before, with progress, then shows the cache", async () => {
    let report: ((p: backend.LoadProgress) => void) | undefined;
    let finish: ((c: backend.CacheState) => void) | undefined;
    vi.mocked(backend.getMembers).mockResolvedValueOnce([]).mockResolvedValue([member("a")]);
    vi.mocked(backend.loadMembers).mockImplementation(
      (onProgress) =>
        new Promise((resolve) => {
          report = onProgress;
          finish = resolve;
        }),
    );
    renderPage({ ...loaded, cache: { members: 0, loadedAt: null } });
    await waitFor(() => {
      expect(report).toBeDefined();
    });
    report?.({ loaded: 100, total: 200, groupsRead: 0, groupsTotal: 0 });
    await waitFor(() => {
      const bar = screen.getByTestId("members-loading").querySelector("calcite-progress");
      expect(bar?.getAttribute("text")).toBe("Loading members: 100 of 200");
    });
    report?.({ loaded: 200, total: 200, groupsRead: 3, groupsTotal: 12 });
    await waitFor(() => {
      const bar = screen.getByTestId("members-loading").querySelector("calcite-progress");
      expect(bar?.getAttribute("text")).toBe("Loading members: 200 of 200 · groups 3 of 12");
      expect(Number(bar?.getAttribute("value"))).toBeCloseTo(0.625);
    });
    finish?.({ members: 1, loadedAt: 2 });
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("1 member");
    });
  });
});
