import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { queryKeys } from "../../platform/queries";
import { SignInPage } from "./SignInPage";
import { typeInto } from "../../testing/calcite";
import { renderWithQueries } from "../../testing/render";
import { testSession } from "../../testing/session";

vi.mock("../../platform/backend", () => ({
  getAppInfo: vi.fn(),
  getProfiles: vi.fn(() => Promise.resolve({ profiles: [], restoreProblem: null })),
  signInDemo: vi.fn(),
  signInPassword: vi.fn(),
  signInBrowser: vi.fn(),
  cancelSignIn: vi.fn(),
  forgetProfile: vi.fn(),
}));

const session = testSession();
const REDIRECTS = ["http://127.0.0.1:45451/callback", "http://127.0.0.1:45452/callback"];
const appInfo = (version: string) => ({
  name: "Memberdesk",
  version,
  dataDir: "/data",
  logDir: "/logs",
  redirectUris: REDIRECTS,
});

/** Types into a Calcite input the way its own input event reports it. */

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("SignInPage", () => {
  it("shows the app's name and the version that the backend reports", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue(appInfo("9.8.7"));
    renderWithQueries(<SignInPage />);
    expect(await screen.findByTestId("welcome-app-version")).toBeTruthy();
    expect(screen.getByTestId("welcome-app-version").textContent).toBe("Version 9.8.7");
    expect(screen.getByRole("heading", { name: "Memberdesk" })).toBeTruthy();
  });

  it("opens the demo portal and stores the session for the rest of the app", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue(appInfo("1.0.0"));
    vi.mocked(backend.signInDemo).mockResolvedValue(session);
    const client = renderWithQueries(<SignInPage />);
    fireEvent.click(screen.getByTestId("signin-demo"));
    await waitFor(() => {
      expect(client.getQueryData(queryKeys.session)).toEqual(session);
    });
  });

  it("keeps what was typed when the portal refuses, and says what to do", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue(appInfo("1.0.0"));
    vi.mocked(backend.signInPassword).mockRejectedValue(
      new AppError("portal", "Invalid username or password."),
    );
    renderWithQueries(<SignInPage />);
    typeInto("signin-portal-url", "https://gis.example.com/portal", "calciteInputTextInput");
    typeInto("signin-method", "password", "calciteSegmentedControlChange");
    typeInto("signin-username", "admin", "calciteInputTextInput");
    typeInto("signin-password", "wron", "calciteInputInput");
    // The last keystroke is on screen but its event has not reached the form's state yet: what
    // is sent is what the field shows.
    screen.getByTestId<HTMLInputElement>("signin-password").value = "wrong";
    const form = screen.getByTestId("signin-enterprise").closest("form");
    if (!form) throw new Error("the sign-in fields are in a form");
    fireEvent.submit(form);
    const notice = await screen.findByTestId("signin-enterprise-error");
    expect(notice.textContent).toContain("Invalid username or password.");
    expect(notice.textContent).toContain("Check the portal URL, username and password.");
    expect(backend.signInPassword).toHaveBeenCalledWith(
      "https://gis.example.com/portal",
      "admin",
      "wrong",
    );
    expect((screen.getByTestId<HTMLInputElement>("signin-username")).value).toBe(
      "admin",
    );
  });

  it("signs in to Enterprise through the browser, and says where the sign-in waits", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue(appInfo("1.0.0"));
    let finish: (s: backend.SessionInfo) => void = () => undefined;
    vi.mocked(backend.signInBrowser).mockReturnValue(new Promise((resolve) => { finish = resolve; }));
    const client = renderWithQueries(<SignInPage />);
    typeInto("signin-portal-url", "https://gis.example.com/portal", "calciteInputTextInput");
    const form = screen.getByTestId("signin-enterprise").closest("form");
    if (!form) throw new Error("the sign-in fields are in a form");
    fireEvent.submit(form);
    expect(await screen.findByTestId("signin-waiting")).toBeTruthy();
    expect(backend.signInBrowser).toHaveBeenCalledWith("enterprise", "https://gis.example.com/portal", "");
    expect(screen.queryByTestId("signin-password")).toBeNull();
    fireEvent.click(screen.getByTestId("signin-cancel"));
    expect(backend.cancelSignIn).toHaveBeenCalled();
    finish({ ...session, kind: "enterprise" });
    await waitFor(() => {
      expect(client.getQueryData(queryKeys.session)).toMatchObject({ kind: "enterprise" });
    });
  });

  it("lists saved portals, signs in to one again, and shows why the last one was not restored", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue(appInfo("1.0.0"));
    vi.mocked(backend.getProfiles).mockResolvedValue({
      profiles: [
        {
          id: "arcgis_online|https://city.maps.arcgis.com/sharing/rest/|ada",
          kind: "arcgis_online",
          portalUrl: "https://city.maps.arcgis.com/sharing/rest/",
          username: "ada",
          method: "browser",
          clientId: "abc123",
          orgName: "City of Springfield",
          lastUsed: 1,
        },
      ],
      restoreProblem: "Your last session (ada on City of Springfield) could not be restored: Invalid refresh token.",
    });
    vi.mocked(backend.signInBrowser).mockResolvedValue({ ...session, kind: "arcgis_online" });
    renderWithQueries(<SignInPage />);
    expect((await screen.findByTestId("signin-restore-problem")).textContent).toContain("could not be restored");
    expect(screen.getByTestId("signin-profile").textContent).toContain("City of Springfield");
    fireEvent.click(screen.getByTestId("signin-profile-use"));
    await waitFor(() => {
      expect(backend.signInBrowser).toHaveBeenCalledWith(
        "arcgis_online",
        "https://city.maps.arcgis.com/sharing/rest/",
        "abc123",
      );
    });
  });

  it("turns a refused app registration into the steps to register Memberdesk", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue(appInfo("1.0.0"));
    vi.mocked(backend.signInBrowser).mockRejectedValue(
      new AppError("app_registration", 'This portal does not know the app client ID "x".'),
    );
    renderWithQueries(<SignInPage />);
    typeInto("signin-portal-url", "https://gis.example.com/portal", "calciteInputTextInput");
    typeInto("signin-client-id", "x", "calciteInputTextInput");
    fireEvent.submit(screen.getByTestId("signin-enterprise").closest("form") ?? document.body);
    const notice = await screen.findByTestId("signin-browser-error");
    expect(notice.getAttribute("data-code")).toBe("app_registration");
    expect(notice.textContent).toContain('does not know the app client ID "x"');
    expect(screen.getByTestId("register-guide").hasAttribute("open")).toBe(false);
    fireEvent.click(screen.getByTestId("signin-open-guide"));
    expect(screen.getByTestId("register-guide").hasAttribute("open")).toBe(true);
    const listed = [...screen.getByTestId("register-redirect-uris").querySelectorAll("code")].map((c) => c.textContent);
    expect(listed).toEqual(REDIRECTS);
  });
});
