import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../platform/backend";
import { AppError } from "../platform/errors";
import { typeInto } from "../testing/calcite";
import { renderWithQueries } from "../testing/render";
import { AboutDialog } from "./AboutDialog";
import { UpdateNotice } from "./UpdateNotice";

vi.mock("../platform/backend", () => ({
  checkUpdate: vi.fn(),
  installUpdate: vi.fn(),
  getUpdateSettings: vi.fn(),
  setUpdateSettings: vi.fn(),
  getDiagnostics: vi.fn(),
  getAppInfo: vi.fn(() =>
    Promise.resolve({ name: "Memberdesk", version: "0.1.0", dataDir: "/d", logDir: "/l", redirectUris: [] }),
  ),
}));

const OFFER = {
  version: "0.2.0",
  currentVersion: "0.1.0",
  notes: "<b>Faster</b> loads.",
  date: "2026-12-01 12:00:00.0 +00:00:00",
};

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("UpdateNotice", () => {
  it("asks at start, offers the newer version with its notes as text, and installs only on Install", async () => {
    vi.mocked(backend.checkUpdate).mockResolvedValue(OFFER);
    vi.mocked(backend.installUpdate).mockRejectedValue(
      new AppError("portal", "The update was refused: its signature does not match Memberdesk's key (x). Nothing was installed."),
    );
    renderWithQueries(<UpdateNotice />);
    const notice = await screen.findByTestId("update-offer");
    expect(backend.checkUpdate).toHaveBeenCalledWith(true);
    expect(notice.textContent).toContain("Memberdesk 0.2.0 is available");
    expect(notice.textContent).toContain("You have version 0.1.0");
    // Release notes are shown inert: the markup is text, not elements.
    expect(screen.getByTestId("update-notes").textContent).toBe("<b>Faster</b> loads.");
    expect(screen.getByTestId("update-notes").querySelector("b")).toBeNull();
    expect(backend.installUpdate).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("update-install"));
    const refused = await screen.findByTestId("update-error");
    expect(refused.textContent).toContain("Nothing was installed.");
    fireEvent.click(screen.getByTestId("update-later"));
    await waitFor(() => { expect(screen.queryByTestId("update-offer")).toBeNull(); });
  });

  it("shows nothing when there is no newer version, or the check at start failed", async () => {
    vi.mocked(backend.checkUpdate).mockResolvedValue(null);
    renderWithQueries(<UpdateNotice />);
    await waitFor(() => { expect(backend.checkUpdate).toHaveBeenCalled(); });
    expect(screen.queryByTestId("update-offer")).toBeNull();
    cleanup();
    vi.mocked(backend.checkUpdate).mockRejectedValue(new AppError("network", "Memberdesk could not check for updates: offline."));
    renderWithQueries(<UpdateNotice />);
    await waitFor(() => { expect(backend.checkUpdate).toHaveBeenCalledTimes(2); });
    expect(screen.queryByTestId("update-offer")).toBeNull();
    expect(screen.queryByTestId("update-error")).toBeNull();
  });
});

describe("About: updates", () => {
  it("turns the check at start off, saves an address, and checks now", async () => {
    const settings = { checkAtStart: true, endpoint: null, lastCheck: null };
    vi.mocked(backend.getUpdateSettings).mockResolvedValue(settings);
    vi.mocked(backend.setUpdateSettings).mockImplementation((checkAtStart, endpoint) =>
      Promise.resolve({ checkAtStart, endpoint, lastCheck: null }),
    );
    vi.mocked(backend.checkUpdate).mockResolvedValue(null);
    renderWithQueries(<AboutDialog open onClose={vi.fn()} />);
    const toggle = await screen.findByTestId("about-update-at-start");
    Object.assign(toggle, { checked: false });
    fireEvent(toggle, new Event("calciteSwitchChange"));
    await waitFor(() => { expect(backend.setUpdateSettings).toHaveBeenCalledWith(false, null); });
    typeInto("about-update-endpoint", "http://updates.example.com/latest.json");
    vi.mocked(backend.setUpdateSettings).mockRejectedValueOnce(
      new AppError("invalid_input", "The update address must start with https:// (plain http only to this computer)."),
    );
    // jsdom renders no Calcite shadow DOM: the Save button's submit is the form's.
    fireEvent.submit(screen.getByTestId("about-update-save").closest("form") ?? document.body);
    expect((await screen.findByTestId("about-update-save-error")).textContent).toContain("must start with https://");
    fireEvent.click(screen.getByTestId("about-update-check"));
    await waitFor(() => { expect(backend.checkUpdate).toHaveBeenCalledWith(false); });
    expect((await screen.findByTestId("about-update-result")).textContent).toBe("This is the newest version.");
  });
});
