import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { InvitationsPage, visibleInvitations } from "./InvitationsPage";
import { renderWithQueries } from "../../testing/render";

vi.mock("../../platform/backend", () => ({
  getInvitations: vi.fn(),
  deleteInvitation: vi.fn(),
  inviteAgain: vi.fn(),
}));

const DAY = 86_400_000;

function invitation(id: string, username: string, state: backend.InvitationState, created: number): backend.InvitationRow {
  return {
    id,
    username,
    email: `${username}@example.com`,
    fullName: `${username} Person`,
    roleId: "org_user",
    roleName: "User",
    userType: "creatorUT",
    userTypeName: "Creator",
    invitedBy: "admin",
    created,
    expiration: created + 14 * DAY,
    state,
  };
}

const rows = [
  invitation("1", "amy", "pending", 3 * DAY),
  invitation("2", "bo", "expired", 1 * DAY),
  invitation("3", "cat", "expiring", 2 * DAY),
];

function renderPage() {
  vi.mocked(backend.getInvitations).mockResolvedValue(rows);
  renderWithQueries(<InvitationsPage />);
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("visibleInvitations", () => {
  it("filters by text and state and sorts by any column", () => {
    const newest = visibleInvitations(rows, "", "all", { key: "created", descending: true });
    expect(newest.map((r) => r.username)).toEqual(["amy", "cat", "bo"]);
    expect(visibleInvitations(rows, "BO@", "all", { key: "username", descending: false }).map((r) => r.id)).toEqual(["2"]);
    expect(visibleInvitations(rows, "", "expiring", { key: "username", descending: false }).map((r) => r.id)).toEqual(["3"]);
  });
});

describe("InvitationsPage", () => {
  it("asks before withdrawing, then withdraws and says so", async () => {
    vi.mocked(backend.deleteInvitation).mockResolvedValue(null);
    renderPage();
    const row = (await screen.findAllByTestId("invitation-row")).find((r) => r.dataset.username === "bo");
    if (!row) throw new Error("no row for bo");
    fireEvent.click(within(row).getByTestId("invitation-delete"));
    expect(backend.deleteInvitation).not.toHaveBeenCalled();
    fireEvent.click(within(row).getByTestId("invitation-delete-confirm"));
    const notice = await screen.findByTestId("invitations-notice");
    expect(notice.textContent).toContain("bo was withdrawn");
    expect(backend.deleteInvitation).toHaveBeenCalledWith("2");
    expect(screen.getByTestId("invitations-count").textContent).toBe("3 invitations");
  });

  it("shows why sending again failed", async () => {
    vi.mocked(backend.inviteAgain).mockRejectedValue(new AppError("forbidden", "Your role in this organization cannot do this."));
    renderPage();
    const row = (await screen.findAllByTestId("invitation-row"))[0];
    if (!row) throw new Error("no rows");
    fireEvent.click(within(row).getByTestId("invitation-again"));
    const error = await screen.findByTestId("invitations-action-error");
    expect(error.textContent).toContain("cannot do this");
  });
});
