import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Member } from "../../platform/backend";
import { typeInto } from "../../testing/calcite";
import { cachedMembers } from "../../testing/memberEngine";
import { renderWithQueries } from "../../testing/render";
import { MemberPicker } from "./MemberPicker";
import { testMember } from "./testMembers";

// The members the stand-in engine answers from are the test's `cachedMembers`.
vi.mock("../../platform/backend", async () => {
  const { memberTableBackend } = await import("../../testing/memberEngine");
  return memberTableBackend();
});

// 150 members: user000 … user149; the first 120 are disabled.
const members = Array.from({ length: 150 }, (_, i) =>
  testMember(`user${String(i).padStart(3, "0")}`, { disabled: i < 120 }),
);
const disabled = (m: Member) => m.disabled;

function renderPicker() {
  cachedMembers.mockResolvedValue(members);
  renderWithQueries(
    <MemberPicker
      label="Receiver"
      placeholder="Find a member"
      icon="user"
      exclude={disabled}
      onPick={vi.fn()}
      actionLabel="Choose"
      actionIcon="check"
      testId="picker"
      noMatch="No active member matches."
    />,
  );
}

const offered = () => screen.queryAllByTestId("picker-suggestion").map((b) => b.dataset.username);

afterEach(cleanup);

describe("MemberPicker", () => {
  it("asks for more of the name when the matches it read are all excluded, and says no match only when none is left", async () => {
    renderPicker();
    // "user" matches all 150; the first page (100, by username) holds only disabled members.
    typeInto("picker-text", "user");
    expect((await screen.findByTestId("picker-none")).textContent).toBe(
      "More members match than are offered here: type more of the name.",
    );
    typeInto("picker-text", "user14");
    await waitFor(() => {
      expect(offered()).toEqual(["user140", "user141", "user142", "user143", "user144", "user145", "user146", "user147"]);
    });
    // Every match read, none active.
    typeInto("picker-text", "user01");
    await waitFor(() => {
      expect(screen.getByTestId("picker-none").textContent).toBe("No active member matches.");
    });
  });
});
