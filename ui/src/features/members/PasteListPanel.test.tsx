import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { renderWithQueries } from "../../testing/render";
import { PasteListPanel } from "./PasteListPanel";
import { testMember } from "./testMembers";
import { cachedMembers } from "../../testing/memberEngine";

// The members the stand-in engine answers from are the test's `cachedMembers`.
vi.mock("../../platform/backend", async () => {
  const { memberTableBackend } = await import("../../testing/memberEngine");
  return {
    ...memberTableBackend(),
    getGroups: vi.fn(),
  };
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

function paste(text: string) {
  const area = screen.getByTestId<HTMLTextAreaElement>("paste-text");
  area.value = text;
  fireEvent(area, new CustomEvent("calciteTextAreaInput", { bubbles: true }));
}

describe("PasteListPanel", () => {
  it("matches a pasted list as it is typed, lists what matches nobody, then selects or adds to a group", async () => {
    cachedMembers.mockResolvedValue([
      testMember("ann", { email: "ann@example.com" }),
      testMember("bob", { email: "bob@example.com" }),
      testMember("cy_acme", { idpUsername: "cy@acme.org" }),
    ]);
    vi.mocked(backend.getGroups).mockResolvedValue([{ id: "g1", title: "Field crews", owner: "ann", access: "org" }]);
    const onSelect = vi.fn();
    const onAddToGroup = vi.fn();
    renderWithQueries(<PasteListPanel onClose={vi.fn()} onSelect={onSelect} onAddToGroup={onAddToGroup} />);
    expect(screen.getByTestId("paste-summary").textContent).toBe("Paste usernames, emails or IdP usernames.");
    await waitFor(() => {
      expect(cachedMembers).toHaveBeenCalled();
    });
    paste("ANN\nbob@example.com, cy@acme.org; <img src=x onerror=alert(1)>\nnobody");
    await waitFor(() => {
      expect(screen.getByTestId("paste-summary").textContent).toBe(
        "7 entries: 3 members found (1 by username, 1 by email, 1 by IdP username); 4 entries match no member.",
      );
    });
    const unmatched = screen.getByTestId("paste-unmatched");
    expect([...unmatched.querySelectorAll("li")].map((l) => l.textContent)).toEqual(["<img", "src=x", "onerror=alert(1)>", "nobody"]);
    expect(unmatched.querySelector("img")).toBeNull();
    fireEvent.click(screen.getByTestId("paste-select"));
    expect(onSelect).toHaveBeenCalledWith(["ann", "bob", "cy_acme"]);
    // Adding to a group needs a group.
    expect(screen.getByTestId("paste-add-to-group").hasAttribute("disabled")).toBe(true);
    const select = await screen.findByTestId<HTMLSelectElement>("paste-group");
    await waitFor(() => {
      expect(select.querySelectorAll("calcite-option")).toHaveLength(2);
    });
    Object.defineProperty(select, "value", { value: "g1", configurable: true });
    fireEvent(select, new CustomEvent("calciteSelectChange", { bubbles: true }));
    await waitFor(() => {
      expect(screen.getByTestId("paste-add-to-group").hasAttribute("disabled")).toBe(false);
    });
    fireEvent.click(screen.getByTestId("paste-add-to-group"));
    expect(onAddToGroup).toHaveBeenCalledWith(["ann", "bob", "cy_acme"], "g1");
  });
});
