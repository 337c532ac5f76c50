import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import truncatedCss from "../components/TruncatedText.css?raw";
import headerCss from "./AppHeader.css?raw";
import { AppHeader } from "./AppHeader";
import { testSession } from "../testing/session";

const longUrl = `https://${"gis-portal-of-the-regional-water-authority-".repeat(4)}example.com/portal/sharing/rest/`;
const longOrg = "The Regional Water and Wastewater Authority of the Northern Counties, GIS Department";

const session = testSession({ kind: "enterprise", portalUrl: longUrl, orgName: longOrg, username: "gis_admin" });

/** The declarations of `selector`'s rule in a stylesheet. */
function rule(css: string, selector: string): string {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no rule for ${selector}`);
  return css.slice(start, css.indexOf("}", start));
}

afterEach(cleanup);

// jsdom lays nothing out, so this checks the contract that keeps Sign out in the window: the
// long texts are one-line ellipsis boxes with the whole text in their title, inside a block
// that may shrink and has a bounded width, beside a Sign out that does not shrink.
describe("AppHeader", () => {
  it("shortens a long portal URL and organization name with an ellipsis, the whole text in the title", () => {
    render(<AppHeader session={session} view="members" onView={vi.fn()} onSignOut={vi.fn()} onAbout={vi.fn()} />);
    for (const [testId, text] of [["header-portal-url", longUrl], ["header-org-name", longOrg]] as const) {
      const line = screen.getByTestId(testId);
      expect(line.textContent).toBe(text);
      expect(line.getAttribute("title")).toBe(text);
      expect(line.classList.contains("truncated-text")).toBe(true);
      expect(line.parentElement?.classList.contains("header__portal")).toBe(true);
    }
    expect(screen.getByTestId("header-user").getAttribute("full-name")).toBe("gis_admin");
    expect(screen.getByTestId("sign-out").textContent).toBe("Sign out");

    const truncated = rule(truncatedCss, ".truncated-text");
    for (const declaration of ["overflow: hidden;", "text-overflow: ellipsis;", "white-space: nowrap;", "min-width: 0;"]) {
      expect(truncated).toContain(declaration);
    }
    const portal = rule(headerCss, ".header__portal");
    expect(portal).toContain("min-width: 0;");
    expect(portal).toMatch(/max-width: \d+(\.\d+)?rem;/);
    expect(rule(headerCss, ".header__user > calcite-navigation-user,\n.header__user > calcite-button")).toContain("flex: none;");
  });

  it("shows no account, screens or Sign out before anyone signs in", () => {
    render(<AppHeader session={null} view="members" onView={vi.fn()} onSignOut={vi.fn()} onAbout={vi.fn()} />);
    expect(screen.queryByTestId("sign-out")).toBeNull();
    expect(screen.queryByTestId("nav")).toBeNull();
    expect(screen.queryByTestId("header-portal-url")).toBeNull();
  });
});
