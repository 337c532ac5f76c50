import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { MembersPage } from "./MembersPage";
import { testMember } from "./testMembers";
import { renderWithQueries } from "../../testing/render";
import { testSession } from "../../testing/session";
import { cachedMembers } from "../../testing/memberEngine";

// The members the stand-in engine answers from are the test's `cachedMembers`.
vi.mock("../../platform/backend", async () => {
  const { memberTableBackend } = await import("../../testing/memberEngine");
  return {
    ...memberTableBackend(),
    loadMembers: vi.fn(),
    getGroups: vi.fn(() => Promise.resolve([{ id: "g1", title: "Field Crews", owner: "demo_admin", access: "org" }])),
    getLicenseOffers: vi.fn(() => Promise.resolve(null)),
    exportMembers: vi.fn(),
  };
});

const member = testMember;

const loaded = testSession({ cache: { members: 3, loadedAt: 1 } });

function renderPage(session: backend.SessionInfo) {
  renderWithQueries(<MembersPage session={session} />);
}

afterEach(cleanup);

describe("MembersPage", () => {
  it("exports the members the filters show, in the table's order, and says where", async () => {
    cachedMembers.mockResolvedValue([member("jsmith"), member("jsmithers"), member("other")]);
    vi.mocked(backend.exportMembers).mockResolvedValue({ path: "/home/admin/members.csv", members: 2 });
    renderPage(loaded);
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("3 members");
    });
    const input = screen.getByTestId<HTMLInputElement>("members-filter-text");
    input.value = "smith";
    fireEvent(input, new CustomEvent("calciteInputInput", { bubbles: true }));
    fireEvent.click(screen.getByTestId("members-export"));
    await waitFor(() => {
      expect(screen.getByTestId("members-deleted").textContent).toContain("2 members exported to /home/admin/members.csv.");
    });
    const [request] = vi.mocked(backend.exportMembers).mock.calls[0] ?? [];
    expect(request?.usernames.sort()).toEqual(["jsmith", "jsmithers"]);
    expect(request?.columns.slice(0, 4)).toEqual(["username", "firstName", "lastName", "email"]);
  });

  it("counts the members that match as the filter text changes", async () => {
    cachedMembers.mockResolvedValue([
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
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("2 of 3 members");
    });
    input.value = "nobody";
    fireEvent(input, new CustomEvent("calciteInputInput", { bubbles: true }));
    expect(await screen.findByTestId("members-empty")).toBeTruthy();
    expect(backend.loadMembers).not.toHaveBeenCalled();
  });

  // (Rows are not laid out in jsdom, so the groups column is checked in the real window.)
  it("offers every group with its member count and filters by group", async () => {
    cachedMembers.mockResolvedValue([
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
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("1 of 2 members");
    });
  });

  it("offers each license bought with its holders, and filters by holding it or not", async () => {
    vi.mocked(backend.getLicenseOffers).mockResolvedValue({
      userTypes: [],
      products: [
        {
          itemId: "pro",
          title: "ArcGIS Pro",
          maxUsers: 10,
          userTypes: null,
          ends: null,
          entitlements: [
            { key: "pro/desktopStdN", id: "desktopStdN", name: "ArcGIS Pro Standard", purchased: 5, exclusive: null },
            { key: "pro/spatialAnalystN", id: "spatialAnalystN", name: "Spatial Analyst", purchased: 5, exclusive: null },
          ],
        },
      ],
      bundles: [],
      readAt: 1,
    });
    cachedMembers.mockResolvedValue([
      member("ann", { licenses: ["pro/desktopStdN", "pro/spatialAnalystN"] }),
      member("bob", { licenses: ["pro/spatialAnalystN"] }),
      member("cy"),
    ]);
    renderPage(loaded);
    const select = await screen.findByTestId("members-filter-license");
    await waitFor(() => {
      const options = [...select.querySelectorAll("calcite-option")].map((o) => o.textContent);
      expect(options).toEqual([
        "Any license",
        "Any ArcGIS Pro license (2)",
        "ArcGIS Pro Standard (1)",
        "Spatial Analyst (2)",
      ]);
    });
    Object.defineProperty(select, "value", { value: "pro/spatialAnalystN", configurable: true });
    fireEvent(select, new CustomEvent("calciteSelectChange", { bubbles: true }));
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("2 of 3 members");
    });
    const held = screen.getByTestId("members-filter-license-held");
    Object.defineProperty(held, "value", { value: "lacks", configurable: true });
    fireEvent(held, new CustomEvent("calciteSelectChange", { bubbles: true }));
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("1 of 3 members");
    });
  });

  it("loads a portal never loaded before, with progress, then shows the cache", async () => {
    let report: ((p: backend.LoadProgress) => void) | undefined;
    let finish: ((c: backend.CacheState) => void) | undefined;
    cachedMembers.mockResolvedValueOnce([]).mockResolvedValue([member("a")]);
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
    report?.({ loaded: 100, total: 200, groupsRead: 0, groupsTotal: 0, licensesRead: 0, licensesTotal: 0 });
    await waitFor(() => {
      const bar = screen.getByTestId("members-loading").querySelector("calcite-progress");
      expect(bar?.getAttribute("text")).toBe("Loading members: 100 of 200");
    });
    report?.({ loaded: 200, total: 200, groupsRead: 3, groupsTotal: 12, licensesRead: 1, licensesTotal: 4 });
    await waitFor(() => {
      const bar = screen.getByTestId("members-loading").querySelector("calcite-progress");
      expect(bar?.getAttribute("text")).toBe(
        "Loading members: 200 of 200 · groups 3 of 12 · licenses 1 of 4",
      );
      // Members all read, a quarter of the groups and of the licenses: (1 + 1/4 + 1/4) / 3.
      expect(Number(bar?.getAttribute("value"))).toBeCloseTo(0.5);
    });
    finish?.({ members: 1, loadedAt: 2 });
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("1 member");
    });
  });
});
