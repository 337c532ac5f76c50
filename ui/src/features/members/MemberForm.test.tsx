import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { MemberForm } from "./MemberForm";
import { problems, toEdit, toForm } from "./memberForm";
import { testMember } from "./testMembers";
import { typeInto } from "../../testing/calcite";
import { renderWithQueries } from "../../testing/render";

vi.mock("../../platform/backend", () => ({
  getMemberChoices: vi.fn(),
  getLicensePicture: vi.fn(() => Promise.resolve({ lines: [], members: 0, readAt: null, problem: null })),
  updateMember: vi.fn(),
}));

const member: backend.Member = testMember("jsmith", {
  fullName: "John Smith",
  firstName: "John",
  lastName: "Smith",
  email: "john@example.com",
  roleId: "viewerRole",
  roleName: "Viewer",
  userType: "viewerUT",
  userTypeName: "Viewer",
  credits: 100,
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("member form converters", () => {
  it("send trimmed names and email, and the description as typed", () => {
    const form = { ...toForm(member), firstName: "  Jo ", description: "  <b>x</b> " };
    expect(toEdit("jsmith", form)).toMatchObject({
      username: "jsmith",
      firstName: "Jo",
      description: "  <b>x</b> ",
      roleId: "viewerRole",
    });
  });

  it("name each missing or malformed field", () => {
    expect(problems(toForm(member))).toEqual({});
    expect(problems({ ...toForm(member), firstName: " ", email: "nope", credits: "-5" })).toEqual({
      firstName: "Enter a first name.",
      email: "Enter an email address.",
      credits: "Enter 0 or more credits, or -1 for no limit.",
    });
    expect(problems({ ...toForm(member), credits: "lots" })).toHaveProperty("credits");
    expect(problems({ ...toForm(member), credits: "-1" })).toEqual({});
  });

  it("send credits as a number, and none where the portal does not manage them", () => {
    expect(toEdit("jsmith", { ...toForm(member), credits: " 250 " }).credits).toBe(250);
    const enterprise = testMember("ent", { credits: null });
    expect(toForm(enterprise).credits).toBe("");
    expect(toEdit("ent", toForm(enterprise)).credits).toBeNull();
  });
});

describe("MemberForm", () => {
  it("keeps what was typed when the portal refuses, and shows why", async () => {
    vi.mocked(backend.getMemberChoices).mockResolvedValue({
      roles: [{ id: "viewerRole", name: "Viewer", baseRole: null, refusedRoles: [] }, { id: "org_admin", name: "Administrator", baseRole: null, refusedRoles: [] }],
      userTypes: [{ id: "viewerUT", name: "Viewer", baseRole: null, refusedRoles: [] }],
    });
    vi.mocked(backend.updateMember).mockRejectedValue(
      new AppError("portal", "The user type 'viewerUT' is not compatible with the role."),
    );
    const onDone = vi.fn();
    renderWithQueries(<MemberForm member={member} onDone={onDone} />);
    typeInto("member-form-first-name", "Johnny");
    fireEvent.submit(screen.getByTestId("member-form"));
    const notice = await screen.findByTestId("member-form-error");
    expect(notice.textContent).toContain("not compatible");
    expect(screen.getByTestId<HTMLInputElement>("member-form-first-name").value).toBe("Johnny");
    expect(onDone).not.toHaveBeenCalled();
    expect(backend.updateMember).toHaveBeenCalledWith(
      expect.objectContaining({ username: "jsmith", firstName: "Johnny" }),
    );
  });

  it("does not send a form with a bad email, and says which field is wrong", async () => {
    vi.mocked(backend.getMemberChoices).mockResolvedValue({ roles: [], userTypes: [] });
    renderWithQueries(<MemberForm member={member} onDone={vi.fn()} />);
    typeInto("member-form-email", "not an email");
    fireEvent.submit(screen.getByTestId("member-form"));
    await waitFor(() => {
      expect(screen.getByText("Enter an email address.")).toBeTruthy();
    });
    expect(backend.updateMember).not.toHaveBeenCalled();
  });

  it("marks the user types with no seat left, except the one the member holds", async () => {
    vi.mocked(backend.getMemberChoices).mockResolvedValue({
      roles: [{ id: "viewerRole", name: "Viewer", baseRole: null, refusedRoles: [] }],
      userTypes: [
        { id: "viewerUT", name: "Viewer", baseRole: null, refusedRoles: [] },
        { id: "creatorUT", name: "Creator", baseRole: null, refusedRoles: [] },
        { id: "editorUT", name: "Contributor", baseRole: null, refusedRoles: [] },
      ],
    });
    const line = (key: string, purchased: number | null, assigned: number) => ({
      key,
      kind: "userType" as const,
      name: key,
      group: "User types",
      purchased,
      assigned,
      invited: key === "editorUT" ? 1 : 0,
      idle: { days30: 0, days90: 0, days365: 0, never: 0 },
    });
    vi.mocked(backend.getLicensePicture).mockResolvedValue({
      lines: [line("viewerUT", 10, 10), line("creatorUT", 5, 5), line("editorUT", 9, 6)],
      members: 21,
      readAt: 1,
      problem: null,
    });
    renderWithQueries(<MemberForm member={member} onDone={vi.fn()} />);
    const select = screen.getByTestId("member-form-user-type");
    await waitFor(() => {
      const options = [...select.querySelectorAll("calcite-option")].map((o) => [o.textContent, o.hasAttribute("disabled")]);
      expect(options).toEqual([
        ["Viewer", false],
        ["Creator (no seat left)", true],
        ["Contributor (2 free)", false],
      ]);
    });
  });
});
