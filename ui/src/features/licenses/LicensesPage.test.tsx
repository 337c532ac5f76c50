import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { LicensesPage } from "./LicensesPage";
import { PRO, testPicture } from "./testPicture";
import { renderWithQueries } from "../../testing/render";
import { cachedMembers } from "../../testing/memberEngine";

// The members the stand-in engine answers from are the test's `cachedMembers`.
vi.mock("../../platform/backend", async () => {
  const { memberTableBackend } = await import("../../testing/memberEngine");
  return {
    ...memberTableBackend(),
    getLicensePicture: vi.fn(),
    getMemberChoices: vi.fn(),
  
  };
});

/** The element at `i`, which the test expects to be there. */
function nth(list: readonly HTMLElement[], i: number): HTMLElement {
  const element = list[i];
  if (!element) throw new Error(`no element ${i} of ${list.length}`);
  return element;
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

function renderPage() {
  const onShowMembers = vi.fn();
  renderWithQueries(<LicensesPage onShowMembers={onShowMembers} />);
  return onShowMembers;
}

/** The figures of a line as the table shows them: bought, assigned, free. */
function figuresOf(key: string): [string, string, string, string | undefined] {
  const row = screen.getAllByTestId("seat-line").find((r) => r.dataset.key === key);
  if (!row) throw new Error(`no seat line ${key}`);
  const text = (id: string) => within(row).getByTestId(id).textContent;
  return [text("seat-bought"), text("seat-assigned"), text("seat-free"), row.dataset.state];
}

describe("LicensesPage", () => {
  it("shows every line under its group with seats bought, assigned and free, full and over-assigned lines marked", async () => {
    vi.mocked(backend.getLicensePicture).mockResolvedValue(testPicture());
    renderPage();
    const groups = await screen.findAllByTestId("seat-group");
    expect(groups.map((g) => g.getAttribute("aria-label"))).toEqual(["User types", "ArcGIS Pro", "App bundles"]);
    expect(within(nth(groups, 1)).getAllByTestId("seat-line").map((r) => r.dataset.key)).toEqual([
      `${PRO}/desktopAdvN`,
      `${PRO}/desktopBasicN`,
    ]);
    expect(figuresOf("creatorUT")).toEqual(["50", "42", "8", "free"]);
    expect(figuresOf("fieldWorkerUT")).toEqual(["20", "20", "0", "full"]);
    expect(figuresOf("viewerUT")).toEqual(["No limit", "58", "No limit", "unlimited"]);
    expect(figuresOf(`${PRO}/desktopAdvN`)).toEqual(["5", "7", "2 over", "over"]);
    expect(screen.getByTestId("licenses-status").textContent).toContain("Counted from 120 members");
    // The chart names the same figures for screen readers.
    expect(screen.getByRole("img", { name: /^ArcGIS Pro:/ }).getAttribute("aria-label")).toBe(
      "ArcGIS Pro: ArcGIS Pro Advanced: 7 of 5 assigned, 2 over; ArcGIS Pro Basic: 3 of 10 assigned, 7 free",
    );
  });

  it("opens the members table on a line's holders, and on its idle holders", async () => {
    vi.mocked(backend.getLicensePicture).mockResolvedValue(testPicture());
    const onShowMembers = renderPage();
    const rows = await screen.findAllByTestId("seat-line");
    const row = (key: string) => nth(rows.filter((r) => r.dataset.key === key), 0);

    fireEvent.click(within(row("creatorUT")).getByTestId("seat-holders"));
    expect(onShowMembers).toHaveBeenLastCalledWith({ userType: "creatorUT" });
    expect(within(row("creatorUT")).getByTestId("seat-holders").textContent).toContain("42 holders");

    fireEvent.click(within(row(`${PRO}/desktopAdvN`)).getByTestId("seat-holders"));
    expect(onShowMembers).toHaveBeenLastCalledWith({ license: `${PRO}/desktopAdvN`, licenseHeld: true });

    fireEvent.click(within(row("creatorUT")).getByTestId("seat-idle-90"));
    expect(onShowMembers).toHaveBeenLastCalledWith({ userType: "creatorUT", lastLogin: "90" });

    fireEvent.click(within(row("bundle/b1")).getByTestId("seat-holders"));
    expect(onShowMembers).toHaveBeenLastCalledWith({ license: "bundle/b1", licenseHeld: true });

    fireEvent.click(within(row(`${PRO}/desktopAdvN`)).getByTestId("seat-idle-365"));
    expect(onShowMembers).toHaveBeenLastCalledWith({ license: `${PRO}/desktopAdvN`, licenseHeld: true, lastLogin: "365" });

    fireEvent.click(within(row("viewerUT")).getByTestId("seat-idle-never"));
    expect(onShowMembers).toHaveBeenLastCalledWith({ userType: "viewerUT", lastLogin: "never" });
    // A count of zero is text, not a link to an empty table.
    const zero = within(row("viewerUT")).getByTestId("seat-idle-90");
    expect(zero.tagName).toBe("SPAN");
    expect(zero.textContent).toBe("0");
    expect(onShowMembers).toHaveBeenCalledTimes(6);
  });

  it("asks for a load before the organization's licenses have been read", async () => {
    vi.mocked(backend.getLicensePicture).mockResolvedValue({ lines: [], members: 0, readAt: null, problem: null });
    renderPage();
    expect((await screen.findByTestId("licenses-empty")).textContent).toContain(
      "Load the organization to read its licenses",
    );
    expect(screen.queryAllByTestId("seat-line")).toHaveLength(0);
    expect(screen.getByTestId("reclaim-open").hasAttribute("disabled")).toBe(true);
  });

  it("says why when the portal refused the licenses to this account", async () => {
    vi.mocked(backend.getLicensePicture).mockResolvedValue({
      lines: [],
      members: 40,
      readAt: null,
      problem: "not allowed: You do not have permissions to access this resource or perform this operation.",
    });
    renderPage();
    const notice = await screen.findByTestId("licenses-problem");
    expect(notice.textContent).toContain("You do not have permissions");
    expect(notice.textContent).toContain("who may manage licenses");
    expect(screen.queryByTestId("licenses-empty")).toBeNull();
  });

  it("shows a loader while reading and the error when the picture cannot be read", async () => {
    vi.mocked(backend.getLicensePicture).mockRejectedValue(new AppError("auth_required", "Your session has ended."));
    renderPage();
    expect(screen.getByTestId("licenses-loading")).toBeTruthy();
    expect((await screen.findByTestId("licenses-error")).textContent).toContain("Your session has ended.");
  });

  it("opens the reclaim and swap panels", async () => {
    vi.mocked(backend.getLicensePicture).mockResolvedValue(testPicture());
    vi.mocked(backend.getMemberChoices).mockResolvedValue({ roles: [], userTypes: [] });
    cachedMembers.mockResolvedValue([]);
    renderPage();
    await screen.findAllByTestId("seat-line");
    fireEvent.click(screen.getByTestId("reclaim-open"));
    expect(screen.getByTestId("reclaim-panel")).toBeTruthy();
    fireEvent.click(screen.getByTestId("swap-open"));
    expect(screen.queryByTestId("reclaim-panel")).toBeNull();
    expect(screen.getByTestId("swap-panel")).toBeTruthy();
  });
});
