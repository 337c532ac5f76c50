import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../platform/backend";
import { licensePictureQuery } from "../../platform/queries";
import { ReclaimPanel } from "./ReclaimPanel";
import { PRO, testPicture } from "./testPicture";
import { renderWithQueries, testQueryClient } from "../../testing/render";

vi.mock("../../platform/backend", () => ({
  getLicensePicture: vi.fn(),
  getMemberChoices: vi.fn(),
  planReclaim: vi.fn(),
  reclaim: vi.fn(),
}));

const ADV = `${PRO}/desktopAdvN`;

function choose(testId: string, value: string) {
  const element = screen.getByTestId<HTMLSelectElement>(testId);
  element.value = value;
  fireEvent(element, new CustomEvent("calciteSelectChange", { bubbles: true }));
}

function check(testId: string, key: string) {
  const box = screen.getAllByTestId<HTMLInputElement>(testId).find((b) => b.dataset.key === key);
  if (!box) throw new Error(`no ${testId} ${key}`);
  fireEvent.click(box);
}

const plan: backend.ReclaimPlan = {
  items: [
    { username: "ann", fullName: "Ann <b>Idle</b>", lastLogin: null, userTypeName: "Creator", revoke: [ADV], downgrade: true, newRole: "iViewer", problem: null },
    { username: "bob", fullName: "Bob Away", lastLogin: Date.UTC(2025, 0, 2), userTypeName: "Creator", revoke: [], downgrade: true, newRole: null, problem: null },
    { username: "cy", fullName: "Cy Stuck", lastLogin: Date.UTC(2025, 0, 3), userTypeName: "Creator", revoke: [], downgrade: false, newRole: null, problem: "Viewer does not allow the role Publisher: choose a role to give" },
  ],
  freed: [
    { key: ADV, name: "ArcGIS Pro Advanced", count: 1 },
    { key: "creatorUT", name: "Creator", count: 2 },
  ],
};

function renderPanel() {
  vi.mocked(backend.getMemberChoices).mockResolvedValue({
    roles: [
      { id: "iViewer", name: "Viewer", baseRole: "org_user", refusedRoles: [] },
      { id: "org_publisher", name: "Publisher", baseRole: "org_publisher", refusedRoles: [] },
    ],
    userTypes: [
      { id: "creatorUT", name: "Creator", baseRole: null, refusedRoles: [] },
      { id: "viewerUT", name: "Viewer", baseRole: null, refusedRoles: ["org_publisher"] },
    ],
  });
  const client = testQueryClient();
  client.setQueryData(licensePictureQuery().queryKey, testPicture());
  renderWithQueries(<ReclaimPanel onClose={vi.fn()} />, client);
  return client;
}

/** The element at `i`, which the test expects to be there. */
function nth(list: readonly HTMLElement[], i: number): HTMLElement {
  const element = list[i];
  if (!element) throw new Error(`no element ${i} of ${list.length}`);
  return element;
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("ReclaimPanel", () => {
  it("goes from the request to the plan to the job, sends only the members kept, and shows the seats that came back", async () => {
    vi.mocked(backend.planReclaim).mockResolvedValue(plan);
    let finish: (r: backend.BulkReport) => void = () => undefined;
    vi.mocked(backend.reclaim).mockImplementation((_request, _usernames, onProgress) => {
      onProgress({ done: 1, total: 3 });
      return new Promise((resolve) => { finish = resolve; });
    });
    const after = testPicture();
    after.lines = after.lines.map((l) =>
      l.key === "creatorUT" ? { ...l, assigned: 41 } : l.key === ADV ? { ...l, assigned: 6 } : l,
    );
    // Read on opening (staleTime 0) as it was, then again after the job.
    vi.mocked(backend.getLicensePicture).mockResolvedValueOnce(testPicture()).mockResolvedValue(after);
    renderPanel();

    // Only user types with a seat limit can be downgraded from; licenses and bundles can be revoked.
    expect(screen.getAllByTestId("reclaim-from").map((b) => b.dataset.key)).toEqual(["creatorUT", "fieldWorkerUT"]);
    expect(screen.getAllByTestId("reclaim-license").map((b) => b.dataset.key)).toEqual([
      ADV, `${PRO}/desktopBasicN`, "bundle/b1",
    ]);
    expect(screen.getByTestId("reclaim-preview").hasAttribute("disabled")).toBe(true);
    await within(screen.getByTestId("reclaim-to")).findByText("Viewer");
    choose("reclaim-days", "90");
    check("reclaim-from", "creatorUT");
    choose("reclaim-to", "viewerUT");
    // Viewer does not allow Publisher: the role to give is asked, Viewer by default.
    expect(within(screen.getByTestId("reclaim-role")).getByText("Viewer").getAttribute("selected")).not.toBeNull();
    check("reclaim-license", ADV);
    expect(screen.getByTestId("reclaim-preview").hasAttribute("disabled")).toBe(false);
    fireEvent.submit(screen.getByTestId("reclaim-form"));

    const items = await screen.findAllByTestId("reclaim-item");
    const request = {
      days: 90, includeNever: true, userTypes: ["creatorUT"], downgradeTo: "viewerUT", downgradeRole: "iViewer", licenses: [ADV],
    };
    expect(backend.planReclaim).toHaveBeenCalledWith(request);
    expect(items.map((i) => i.dataset.username)).toEqual(["ann", "bob", "cy"]);
    // Names are text, never markup.
    expect(items[0]?.textContent).toContain("Ann <b>Idle</b>");
    expect(items[0]?.querySelector("b")).toBeNull();
    expect(within(nth(items, 0)).getByTestId("reclaim-item-revoke").textContent).toBe("Revoke ArcGIS Pro Advanced");
    expect(items[0]?.textContent).toContain("Never signed in");
    expect(items[0]?.textContent).toContain("Role first: Viewer");
    expect(within(nth(items, 2)).getByTestId("reclaim-item-problem").textContent).toContain("choose a role");
    expect(within(nth(items, 2)).getByTestId<HTMLInputElement>("reclaim-keep").disabled).toBe(true);
    const freed = () => screen.getAllByTestId("reclaim-freed-line").map((l) => [l.dataset.key, l.dataset.count]);
    expect(freed()).toEqual([[ADV, "1"], ["creatorUT", "2"]]);

    // Leaving bob out: one Creator seat less comes back, and bob is not sent.
    fireEvent.click(within(nth(items, 1)).getByTestId("reclaim-keep"));
    expect(freed()).toEqual([[ADV, "1"], ["creatorUT", "1"]]);
    expect(screen.getByTestId("reclaim-run").textContent).toBe("Reclaim from 1 member");
    fireEvent.click(screen.getByTestId("reclaim-run"));

    const progress = await screen.findByTestId("reclaim-progress");
    expect(progress.querySelector("calcite-progress")?.getAttribute("text")).toBe("1 of 3 steps");
    expect(backend.reclaim).toHaveBeenCalledWith(request, ["ann"], expect.any(Function));
    finish({ items: [{ username: "ann", outcome: "done", reason: null }], done: 1, failed: 0, skipped: 0 });

    const report = await screen.findByTestId("reclaim-report");
    expect(within(report).getByTestId("reclaim-report-summary").textContent).toContain("1 done, 0 failed, 0 skipped");
    expect(within(report).getAllByTestId("reclaim-outcome").map((o) => o.dataset.outcome)).toEqual(["done"]);
    // The picture was read again: each freed line's assigned seats before and after.
    expect(backend.getLicensePicture).toHaveBeenCalledTimes(2);
    const back = within(report).getAllByTestId("reclaim-came-back-line");
    expect(back.map((b) => [b.dataset.key, b.textContent])).toEqual([
      [ADV, "ArcGIS Pro Advanced761 of 1"],
      ["creatorUT", "Creator42411 of 1"],
    ]);
  });

  it("lists failures first with the portal's reason", async () => {
    vi.mocked(backend.planReclaim).mockResolvedValue(plan);
    vi.mocked(backend.reclaim).mockResolvedValue({
      items: [
        { username: "ann", outcome: "done", reason: null },
        { username: "bob", outcome: "failed", reason: "Not enough seats of Viewer." },
      ],
      done: 1, failed: 1, skipped: 0,
    });
    vi.mocked(backend.getLicensePicture).mockResolvedValue(testPicture());
    renderPanel();
    check("reclaim-license", ADV);
    fireEvent.submit(screen.getByTestId("reclaim-form"));
    fireEvent.click(await screen.findByTestId("reclaim-run"));
    expect(backend.planReclaim).toHaveBeenCalledWith({
      days: 365, includeNever: true, userTypes: [], downgradeTo: null, downgradeRole: null, licenses: [ADV],
    });
    const outcomes = await screen.findAllByTestId("reclaim-outcome");
    expect(backend.reclaim).toHaveBeenCalledWith(expect.anything(), ["ann", "bob"], expect.any(Function));
    expect(outcomes.map((o) => o.dataset.username)).toEqual(["bob", "ann"]);
    expect(outcomes[0]?.textContent).toContain("Not enough seats of Viewer.");
    expect(screen.getByTestId("reclaim-report-summary").textContent).toContain("1 failed");
  });

  it("draws at most 500 members of a large plan and still sends every member kept", async () => {
    const many = Array.from({ length: 1200 }, (_, i) => ({
      username: `idle${String(i)}`, fullName: "", lastLogin: null, userTypeName: "Creator",
      revoke: ["bundle/b1"], downgrade: false, newRole: null, problem: null,
    }));
    vi.mocked(backend.planReclaim).mockResolvedValue({ items: many, freed: [{ key: "bundle/b1", name: "Field Apps Bundle", count: 1200 }] });
    vi.mocked(backend.reclaim).mockResolvedValue({ items: [], done: 0, failed: 0, skipped: 0 });
    vi.mocked(backend.getLicensePicture).mockResolvedValue(testPicture());
    renderPanel();
    check("reclaim-license", "bundle/b1");
    fireEvent.submit(screen.getByTestId("reclaim-form"));
    expect(await screen.findAllByTestId("reclaim-item")).toHaveLength(500);
    expect(screen.getByTestId("reclaim-more").textContent).toContain("and 700 more");
    fireEvent.click(nth(screen.getAllByTestId("reclaim-keep"), 0));
    expect(screen.getByTestId("reclaim-run").textContent).toBe("Reclaim from 1,199 members");
    fireEvent.click(screen.getByTestId("reclaim-run"));
    await screen.findByTestId("reclaim-report");
    const sent = vi.mocked(backend.reclaim).mock.calls[0]?.[1] ?? [];
    expect(sent).toHaveLength(1199);
    expect(sent).not.toContain("idle0");
  });
});
