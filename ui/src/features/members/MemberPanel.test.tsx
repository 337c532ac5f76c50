import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { memberQuery } from "../../platform/queries";
import { MemberPanel } from "./MemberPanel";
import { testMember } from "./testMembers";
import { typeInto } from "../../testing/calcite";
import { renderWithQueries, testQueryClient } from "../../testing/render";
import { cachedMembers } from "../../testing/memberEngine";

// The members the stand-in engine answers from are the test's `cachedMembers`.
vi.mock("../../platform/backend", async () => {
  const { memberTableBackend } = await import("../../testing/memberEngine");
  return {
    ...memberTableBackend(),
    getMemberDetails: vi.fn(),
    getDeleteSummary: vi.fn(),
    deleteMember: vi.fn(),
    bulkChange: vi.fn(),
  };
});

const owner = testMember("gowner", { fullName: "Group Owner", groups: ["g1", "g2"] });
const receiver = testMember("rtaker", { fullName: "Ruth Taker" });
const disabledOne = testMember("rdisabled", { fullName: "Rita Disabled", disabled: true });

function renderPanel(onDeleted = vi.fn()) {
  cachedMembers.mockResolvedValue([owner, receiver, disabledOne]);
  const client = testQueryClient();
  // The open member as the page read it: read again after a change.
  client.setQueryData(memberQuery(owner.username).queryKey, owner);
  renderWithQueries(
    <MemberPanel member={owner} signedIn="demo_admin" onClose={vi.fn()} onDeleted={onDeleted} />,
    client,
  );
  return { client, onDeleted };
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("MemberPanel", () => {
  it("lists the member's groups (owned ones marked) and open group invitations, as text", async () => {
    vi.mocked(backend.getMemberDetails).mockResolvedValue({
      groups: [
        { id: "g1", title: "<b>Field</b> Crews", owner: true },
        { id: "g2", title: "Planning", owner: false },
      ],
      invitations: [
        { id: "i1", groupId: "g3", groupTitle: "Surveyors", from: "demo_admin", received: 0, expiration: 86_400_000 },
      ],
      licenses: [
        { key: "pro/desktopStdN", name: "ArcGIS Pro Standard", group: "ArcGIS Pro", lastUsed: null },
        { key: "bundle/ba", name: "<i>Business</i> Analyst", group: "App bundle", lastUsed: null },
      ],
    });
    renderPanel();
    const groups = await screen.findAllByTestId("member-group");
    expect(groups.map((g) => g.textContent)).toEqual(["<b>Field</b> CrewsOwner", "Planning"]);
    expect(groups[0]?.querySelector("b")).toBeNull();
    expect(screen.getByTestId("member-invitation").textContent).toContain("Surveyors");
    expect(screen.getByTestId("member-invitation").textContent).toContain("from demo_admin");
    const licenses = screen.getAllByTestId("member-license");
    expect(licenses.map((l) => l.textContent)).toEqual([
      "ArcGIS Pro StandardArcGIS Pro · last used never",
      "<i>Business</i> AnalystApp bundle",
    ]);
    expect(licenses[1]?.querySelector("i")).toBeNull();
  });

  it("disables the member through the bulk job and shows the new status", async () => {
    vi.mocked(backend.getMemberDetails).mockResolvedValue({ groups: [], invitations: [], licenses: [] });
    vi.mocked(backend.bulkChange).mockResolvedValue({
      done: 1, failed: 0, skipped: 0,
      items: [{ username: "gowner", outcome: "done", reason: null }],
    });
    const { client } = renderPanel();
    fireEvent.click(screen.getByTestId("member-toggle-disabled"));
    await screen.findByTestId("member-saved");
    expect(backend.bulkChange).toHaveBeenCalledWith(
      { kind: "disable", target: "", usernames: ["gowner"] },
      expect.any(Function),
    );
    expect(client.getQueryState(memberQuery("gowner").queryKey)?.isInvalidated, "the member is read again").toBe(true);
  });

  it("deletes only with a receiver for what the member owns and the username typed again", async () => {
    vi.mocked(backend.getMemberDetails).mockResolvedValue({ groups: [], invitations: [], licenses: [] });
    vi.mocked(backend.getDeleteSummary).mockResolvedValue({
      items: 0, folders: 0, groupsOwned: ["Field Crews"], memberships: 1, invitations: 0,
    });
    vi.mocked(backend.deleteMember).mockResolvedValue({ ...receiver, groups: ["g9"] });
    const { onDeleted, client } = renderPanel();
    fireEvent.click(screen.getByTestId("member-delete-open"));
    const owned = await screen.findByTestId("member-delete-groups-owned");
    expect(owned.textContent).toBe("Owns 1 group: Field Crews");
    typeInto("member-delete-confirm-text", "gowner");
    fireEvent.submit(screen.getByTestId("member-delete"));
    expect(await screen.findByText(/Choose who receives the content and groups/)).toBeTruthy();
    expect(backend.deleteMember).not.toHaveBeenCalled();
    // Disabled members and the member themself are not offered.
    typeInto("member-delete-to-text", "ta");
    const offered = await screen.findAllByTestId("member-delete-to-suggestion");
    expect(offered.map((o) => o.dataset.username)).toEqual(["rtaker"]);
    typeInto("member-delete-to-text", "rdis");
    await waitFor(() => { expect(screen.queryAllByTestId("member-delete-to-suggestion")).toHaveLength(0); });
    typeInto("member-delete-to-text", "ruth");
    fireEvent.click(await screen.findByTestId("member-delete-to-suggestion"));
    expect(screen.getByTestId("member-delete-receiver").textContent).toContain("rtaker");
    fireEvent.submit(screen.getByTestId("member-delete"));
    await waitFor(() => { expect(onDeleted).toHaveBeenCalledWith("gowner", "rtaker"); });
    expect(backend.deleteMember).toHaveBeenCalledWith("gowner", "rtaker");
    expect(client.getQueryState(memberQuery("gowner").queryKey)?.isInvalidated, "the members are read again").toBe(true);
  });

  it("keeps the form and says why when the portal refuses the deletion", async () => {
    vi.mocked(backend.getMemberDetails).mockResolvedValue({ groups: [], invitations: [], licenses: [] });
    vi.mocked(backend.getDeleteSummary).mockResolvedValue({
      items: 0, folders: 0, groupsOwned: [], memberships: 0, invitations: 0,
    });
    const { AppError } = await import("../../platform/errors");
    vi.mocked(backend.deleteMember).mockRejectedValue(new AppError("portal", "User has content."));
    const { onDeleted } = renderPanel();
    fireEvent.click(screen.getByTestId("member-delete-open"));
    await screen.findByTestId("member-delete-summary");
    typeInto("member-delete-confirm-text", "gowner");
    fireEvent.submit(screen.getByTestId("member-delete"));
    expect((await screen.findByTestId("member-delete-error")).textContent).toContain("User has content.");
    expect(screen.getByTestId<HTMLInputElement>("member-delete-confirm-text").value).toBe("gowner");
    expect(backend.deleteMember).toHaveBeenCalledWith("gowner", null);
    expect(onDeleted).not.toHaveBeenCalled();
  });
});
