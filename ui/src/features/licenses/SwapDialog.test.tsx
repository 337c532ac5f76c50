import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { SwapDialog } from "./SwapDialog";
import { testMember } from "../members/testMembers";
import { typeInto } from "../../testing/calcite";
import { renderWithQueries, testQueryClient } from "../../testing/render";
import { cachedMembers } from "../../testing/memberEngine";

// The members the stand-in engine answers from are the test's `cachedMembers`.
vi.mock("../../platform/backend", async () => {
  const { memberTableBackend } = await import("../../testing/memberEngine");
  return {
    ...memberTableBackend(),
    swapUserTypes: vi.fn(),
  };
});

const ann = testMember("ann", { fullName: "Ann Creator" });
const bob = testMember("bob", { fullName: "Bob Viewer", userType: "viewerUT", userTypeName: "Viewer" });
const cyd = testMember("cyd", { fullName: "Cyd Creator" });

function renderDialog() {
  renderWithQueries(<SwapDialog onClose={vi.fn()} />, testQueryClient());
}

async function pick(testId: string, text: string, username: string) {
  typeInto(`${testId}-text`, text);
  const offered = await screen.findAllByTestId(`${testId}-suggestion`);
  const button = offered.find((o) => o.dataset.username === username);
  if (!button) throw new Error(`${username} not offered`);
  fireEvent.click(button);
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("SwapDialog", () => {
  it("swaps two members of different user types and lists the steps taken", async () => {
    cachedMembers.mockResolvedValue([ann, bob, cyd]);
    vi.mocked(backend.swapUserTypes).mockImplementation(() => {
      cachedMembers.mockResolvedValue([
        { ...ann, userType: "viewerUT", userTypeName: "Viewer" },
        { ...bob, userType: "creatorUT", userTypeName: "Creator" },
        cyd,
      ]);
      return Promise.resolve({ steps: ["bob: Viewer → Creator", "ann: Creator → Viewer"] });
    });
    renderDialog();
    expect(screen.getByTestId("swap-run").hasAttribute("disabled")).toBe(true);
    await pick("swap-first", "ann", "ann");
    expect((await screen.findByTestId("swap-first-type")).textContent).toBe("Creator");
    // Another Creator is not offered: there would be nothing to swap.
    typeInto("swap-second-text", "creator");
    await waitFor(() => { expect(screen.queryAllByTestId("swap-second-suggestion")).toHaveLength(0); });
    await pick("swap-second", "bob", "bob");
    expect((await screen.findByTestId("swap-second-type")).textContent).toBe("Viewer");
    expect(screen.getByTestId("swap-summary").textContent).toBe("ann becomes Viewer; bob becomes Creator.");
    fireEvent.submit(screen.getByTestId("swap-form"));
    const steps = await screen.findByTestId("swap-steps");
    expect(backend.swapUserTypes).toHaveBeenCalledWith("ann", "bob");
    expect([...steps.querySelectorAll("li")].map((s) => s.textContent)).toEqual([
      "bob: Viewer → Creator",
      "ann: Creator → Viewer",
    ]);
    // The members were read again: the chosen members show their new types.
    await waitFor(() => { expect(screen.getByTestId("swap-first-type").textContent).toBe("Viewer"); });
    expect(screen.getByTestId("swap-run").hasAttribute("disabled")).toBe(true);
  });

  it("says why when the portal refuses the swap", async () => {
    vi.mocked(backend.swapUserTypes).mockRejectedValue(
      new AppError("portal", "Viewer does not allow bob's role Publisher: change the role first"),
    );
    cachedMembers.mockResolvedValue([ann, bob, cyd]);
    renderDialog();
    await pick("swap-first", "bob", "bob");
    await screen.findByTestId("swap-first-type");
    await pick("swap-second", "cyd", "cyd");
    await screen.findByTestId("swap-second-type");
    fireEvent.submit(screen.getByTestId("swap-form"));
    expect((await screen.findByTestId("swap-error")).textContent).toContain("change the role first");
    expect(screen.queryByTestId("swap-steps")).toBeNull();
  });
});
