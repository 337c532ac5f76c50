import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { queryKeys } from "../../platform/queries";
import { SignInPage } from "./SignInPage";

vi.mock("../../platform/backend", () => ({
  getAppInfo: vi.fn(),
  signInDemo: vi.fn(),
  signInPassword: vi.fn(),
}));

const session: backend.SessionInfo = {
  kind: "demo",
  portalUrl: "http://127.0.0.1:1/sharing/rest/",
  orgName: "Demo org",
  username: "demo_admin",
  cache: { members: 0, loadedAt: null },
};

function renderPage(node: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
  return client;
}

/** Types into a Calcite input the way its own input event reports it. */
function typeInto(testId: string, value: string, event: string) {
  const element = screen.getByTestId<HTMLInputElement>(testId);
  element.value = value;
  fireEvent(element, new CustomEvent(event, { bubbles: true }));
}

afterEach(cleanup);

describe("SignInPage", () => {
  it("shows the app's name and the version that the backend reports", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue({ name: "Memberdesk", version: "9.8.7" });
    renderPage(<SignInPage />);
    expect(await screen.findByTestId("welcome-app-version")).toBeTruthy();
    expect(screen.getByTestId("welcome-app-version").textContent).toBe("Version 9.8.7");
    expect(screen.getByRole("heading", { name: "Memberdesk" })).toBeTruthy();
  });

  it("opens the demo portal and stores the session for the rest of the app", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue({ name: "Memberdesk", version: "1.0.0" });
    vi.mocked(backend.signInDemo).mockResolvedValue(session);
    const client = renderPage(<SignInPage />);
    fireEvent.click(screen.getByTestId("signin-demo"));
    await waitFor(() => {
      expect(client.getQueryData(queryKeys.session)).toEqual(session);
    });
  });

  it("keeps what was typed when the portal refuses, and says what to do", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue({ name: "Memberdesk", version: "1.0.0" });
    vi.mocked(backend.signInPassword).mockRejectedValue(
      new AppError("portal", "Invalid username or password."),
    );
    renderPage(<SignInPage />);
    typeInto("signin-portal-url", "https://gis.example.com/portal", "calciteInputTextInput");
    typeInto("signin-username", "admin", "calciteInputTextInput");
    typeInto("signin-password", "wrong", "calciteInputInput");
    const form = screen.getByTestId("signin-enterprise").closest("form");
    if (!form) throw new Error("the sign-in fields are in a form");
    fireEvent.submit(form);
    const notice = await screen.findByTestId("signin-enterprise-error");
    expect(notice.textContent).toContain("Invalid username or password.");
    expect(notice.textContent).toContain("Check the username and password.");
    expect(backend.signInPassword).toHaveBeenCalledWith(
      "https://gis.example.com/portal",
      "admin",
      "wrong",
    );
    expect((screen.getByTestId<HTMLInputElement>("signin-username")).value).toBe(
      "admin",
    );
  });
});
