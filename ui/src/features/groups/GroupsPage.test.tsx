import { cleanup, fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { testMember } from "../members/testMembers";
import { GroupsPage } from "./GroupsPage";
import { typeInto } from "../../testing/calcite";
import { renderWithQueries } from "../../testing/render";
import { cachedMembers } from "../../testing/memberEngine";

// The members the stand-in engine answers from are the test's `cachedMembers`.
vi.mock("../../platform/backend", async () => {
  const { memberTableBackend } = await import("../../testing/memberEngine");
  return {
    ...memberTableBackend(),
    getGroupRows: vi.fn(),
    getGroupMembers: vi.fn(),
    bulkChange: vi.fn(),
  };
});

function first<T>(list: T[]): T {
  const [head] = list;
  if (head === undefined) throw new Error("empty list");
  return head;
}

function renderPage() {
  vi.mocked(backend.getGroupRows).mockResolvedValue([
    { id: "g1", title: "Field crews", owner: "admin", access: "org", members: 2 },
    { id: "g2", title: "Planning", owner: "admin", access: "private", members: 1 },
  ]);
  vi.mocked(backend.getGroupMembers).mockResolvedValue([
    { username: "admin", fullName: "Ada Admin", memberType: "owner", joined: 1 },
    { username: "bob_gis", fullName: "Bob Stone", memberType: "member", joined: 2 },
  ]);
  cachedMembers.mockResolvedValue([
    testMember("bob_gis", { fullName: "Bob Stone" }),
    testMember("carol_gis", { fullName: "Carol Stone" }),
  ]);
  renderWithQueries(<GroupsPage />);
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("GroupsPage", () => {
  it("filters groups, and adds a member found among those not in the group", async () => {
    vi.mocked(backend.bulkChange).mockResolvedValue({
      items: [{ username: "carol_gis", outcome: "done", reason: null }],
      done: 1,
      failed: 0,
      skipped: 0,
    });
    renderPage();
    await screen.findAllByTestId("group-row");
    typeInto("groups-filter-text", "plan", "calciteInputInput");
    expect(screen.getAllByTestId("group-row").map((r) => r.dataset.id)).toEqual(["g2"]);
    typeInto("groups-filter-text", "", "calciteInputInput");
    fireEvent.click(first(screen.getAllByTestId("group-row")));
    await screen.findAllByTestId("group-member");
    typeInto("group-add-text", "stone", "calciteInputTextInput");
    const offered = await screen.findAllByTestId("group-add-suggestion");
    expect(offered.map((o) => o.dataset.username)).toEqual(["carol_gis"]);
    fireEvent.click(first(offered));
    expect((await screen.findByTestId("group-notice")).textContent).toContain("carol_gis was added to Field crews");
    expect(backend.bulkChange).toHaveBeenCalledWith(
      { kind: "addToGroup", target: "g1", usernames: ["carol_gis"] },
      expect.any(Function),
    );
  });

  it("asks before removing, and shows the portal's reason when it refuses", async () => {
    vi.mocked(backend.bulkChange).mockResolvedValue({
      items: [{ username: "bob_gis", outcome: "failed", reason: "Only the group's owner or a manager can remove members." }],
      done: 0,
      failed: 1,
      skipped: 0,
    });
    renderPage();
    fireEvent.click(first(await screen.findAllByTestId("group-row")));
    await screen.findAllByTestId("group-member");
    expect(screen.getAllByTestId("group-member-remove")).toHaveLength(1);
    fireEvent.click(screen.getByTestId("group-member-remove"));
    expect(backend.bulkChange).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("group-member-remove-confirm"));
    expect((await screen.findByTestId("group-error")).textContent).toContain("Only the group's owner");
  });
});
