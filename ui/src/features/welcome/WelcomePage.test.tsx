import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { WelcomePage } from "./WelcomePage";

vi.mock("../../platform/backend", () => ({ getAppInfo: vi.fn() }));

function withQueryClient(node: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return <QueryClientProvider client={client}>{node}</QueryClientProvider>;
}

afterEach(cleanup);

describe("WelcomePage", () => {
  it("shows the name and the version that the backend reports", async () => {
    vi.mocked(backend.getAppInfo).mockResolvedValue({ name: "Memberdesk", version: "9.8.7" });

    render(withQueryClient(<WelcomePage />));

    expect(await screen.findByRole("heading", { name: "Memberdesk" })).toBeTruthy();
    expect(screen.getByTestId("welcome-app-version").textContent).toBe("Version 9.8.7");
  });

  it("explains a failure with the error's message and what to do about it", async () => {
    vi.mocked(backend.getAppInfo).mockRejectedValue(
      new AppError("internal", "The app configuration could not be read."),
    );

    render(withQueryClient(<WelcomePage />));

    const notice = await screen.findByTestId("welcome-error");
    expect(notice.textContent).toContain("The app configuration could not be read.");
    expect(notice.textContent).toContain("This is a bug in Memberdesk.");
    expect(screen.queryByRole("heading", { name: "Memberdesk" })).toBeNull();
  });
});
