import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { AppError } from "../../platform/errors";
import { queryKeys } from "../../platform/queries";
import { SwapDialog } from "./SwapDialog";
import { testMember } from "../members/testMembers";
import { typeInto } from "../../testing/calcite";
import { renderWithQueries, testQueryClient } from "../../testing/render";

vi.mock("../../platform/backend", () => ({
  getMembers: vi.fn(),
  swapUserTypes: vi.fn(),
}));

const ann = testMember("ann", { fullName: "Ann Creator" });
const bob = testMember("bob", { fullName: "Bob Viewer", userType: "viewerUT", userTypeName: "Viewer" });
const cyd = testMember("cyd", { fullName: "Cyd Creator" });

function renderDialog() {
  const client = testQueryClient();
  client.setQueryData(queryKeys.members, [ann, bob, cyd]);
  renderWithQueries(<SwapDialog onClose={vi.fn()} />, client);
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
    vi.mocked(backend.swapUserTypes).mockResolvedValue({ steps: ["bob: Viewer → Creator", "ann: Creator → Viewer"] });
    vi.mocked(backend.getMembers).mockResolvedValue([
      { ...ann, userType: "viewerUT", userTypeName: "Viewer" },
      { ...bob, userType: "creatorUT", userTypeName: "Creator" },
      cyd,
    ]);
    renderDialog();
    expect(screen.getByTestId("swap-run").hasAttribute("disabled")).toBe(true);
    await pick("swap-first", "ann", "ann");
    expect(screen.getByTestId("swap-first-type").textContent).toBe("Creator");
    // Another Creator is not offered: there would be nothing to swap.
    typeInto("swap-second-text", "creator");
    await waitFor(() => { expect(screen.queryAllByTestId("swap-second-suggestion")).toHaveLength(0); });
    await pick("swap-second", "bob", "bob");
    expect(screen.getByTestId("swap-second-type").textContent).toBe("Viewer");
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
    renderDialog();
    await pick("swap-first", "bob", "bob");
    await pick("swap-second", "cyd", "cyd");
    fireEvent.submit(screen.getByTestId("swap-form"));
    expect((await screen.findByTestId("swap-error")).textContent).toContain("change the role first");
    expect(screen.queryByTestId("swap-steps")).toBeNull();
  });
});
