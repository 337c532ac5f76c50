// The members page does no work at rest: once the rows for a filter are on screen, nothing
// renders again until a person does something. (A table that re-rendered itself without end
// kept the web process at 100 % CPU, even with another screen showing.)
import { cleanup, screen, waitFor } from "@testing-library/react";
import { Profiler } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { typeInto } from "../../testing/calcite";
import { renderWithQueries } from "../../testing/render";
import { testSession } from "../../testing/session";
import { MembersPage } from "./MembersPage";
import { testMember } from "./testMembers";
import { cachedMembers } from "../../testing/memberEngine";

// The members the stand-in engine answers from are the test's `cachedMembers`.
vi.mock("../../platform/backend", async () => {
  const { memberTableBackend } = await import("../../testing/memberEngine");
  return {
    ...memberTableBackend(),
    loadMembers: vi.fn(),
    getGroups: vi.fn(() => Promise.resolve([])),
    getLicenseOffers: vi.fn(() => Promise.resolve(null)),
  };
});

const session = testSession({ cache: { members: 40, loadedAt: 1 } });

/** Long enough for a render loop (one render per microtask and task) to show many times. */
const QUIET_MS = 300;

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Renders the page and counts React's commits of it. */
function renderCounted() {
  let commits = 0;
  renderWithQueries(
    <Profiler id="members" onRender={() => { commits += 1; }}>
      <MembersPage session={session} />
    </Profiler>,
  );
  return { commits: () => commits };
}

/** The number of commits once the page has settled, then after a quiet period. */
async function commitsAtRest(commits: () => number): Promise<[number, number]> {
  await pause(QUIET_MS);
  const settled = commits();
  await pause(QUIET_MS);
  return [settled, commits()];
}

afterEach(cleanup);

describe("MembersPage at rest", () => {
  it("renders nothing more once the members are shown, nor after a filter is typed", async () => {
    cachedMembers.mockResolvedValue(
      Array.from({ length: 40 }, (_, i) => testMember(`member${String(i).padStart(2, "0")}`)),
    );
    const { commits } = renderCounted();
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("40 members");
    });
    let [settled, later] = await commitsAtRest(commits);
    expect(later - settled, "commits at rest after loading").toBe(0);

    typeInto("members-filter-text", "member1", "calciteInputInput");
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("10 of 40 members");
    });
    [settled, later] = await commitsAtRest(commits);
    expect(later - settled, "commits at rest after typing a filter").toBe(0);

    typeInto("members-filter-text", "", "calciteInputInput");
    await waitFor(() => {
      expect(screen.getByTestId("members-count").textContent).toBe("40 members");
    });
    [settled, later] = await commitsAtRest(commits);
    expect(later - settled, "commits at rest after clearing the filter").toBe(0);
  });
});
