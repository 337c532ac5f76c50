// What the reclaim flow computes on this side: the request from the form, the seats that
// would come back for the members kept (the plan counts them for everyone), and the seats
// that came back once the job ran (before and after, from the picture read again).
import type { Freed, LicensePicture, ReclaimItem, ReclaimPlan, ReclaimRequest } from "../../platform/backend";

export interface ReclaimForm {
  days: number;
  includeNever: boolean;
  userTypes: string[];
  /** "" keeps the user type. */
  downgradeTo: string;
  /** "" gives no role (members whose role the lower type refuses are left as they are). */
  downgradeRole: string;
  licenses: string[];
}

export const emptyForm: ReclaimForm = {
  days: 365,
  includeNever: true,
  userTypes: [],
  downgradeTo: "",
  downgradeRole: "",
  licenses: [],
};

export function toRequest(form: ReclaimForm): ReclaimRequest {
  const downgrade = form.downgradeTo !== "" && form.userTypes.length > 0;
  return {
    days: form.days,
    includeNever: form.includeNever,
    userTypes: downgrade ? form.userTypes : [],
    downgradeTo: downgrade ? form.downgradeTo : null,
    downgradeRole: downgrade && form.downgradeRole !== "" ? form.downgradeRole : null,
    licenses: form.licenses,
  };
}

/** What is missing before a preview makes sense, or null. */
export function formProblem(form: ReclaimForm): string | null {
  if (!Number.isInteger(form.days) || form.days < 1) return "Choose a number of days (1 or more).";
  const downgrade = form.downgradeTo !== "" && form.userTypes.length > 0;
  if (!downgrade && form.licenses.length === 0) {
    return "Choose user types to downgrade (and the type to give), or licenses to revoke.";
  }
  return null;
}

/** Whether the plan does anything for this member (some are listed only for their problem). */
export function actionable(item: ReclaimItem): boolean {
  return item.downgrade || item.revoke.length > 0;
}

/** The seats that would come back for the members kept, in the plan's order of lines. A
 * downgrade frees a seat of the member's type, which the item names (`userTypeName`) and the
 * plan's freed lines name too. */
export function keptFreed(plan: ReclaimPlan, dropped: ReadonlySet<string>): Freed[] {
  const counts = new Map<string, number>();
  const typeKey = new Map<string, string>();
  for (const f of plan.freed) {
    counts.set(f.key, 0);
    if (!f.key.includes("/")) typeKey.set(f.name, f.key);
  }
  for (const item of plan.items) {
    if (!actionable(item) || dropped.has(item.username)) continue;
    for (const k of item.revoke) counts.set(k, (counts.get(k) ?? 0) + 1);
    const t = item.downgrade ? typeKey.get(item.userTypeName) : undefined;
    if (t !== undefined) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return plan.freed.map((f) => ({ ...f, count: counts.get(f.key) ?? 0 }));
}

/** Seats assigned per line key, from a picture. */
export function assignedByKey(picture: LicensePicture | undefined): Map<string, number> {
  return new Map((picture?.lines ?? []).map((l) => [l.key, l.assigned]));
}

export interface CameBack {
  key: string;
  name: string;
  before: number | null;
  after: number | null;
  /** Seats the plan expected back. */
  expected: number;
}

/** For each line the plan frees: assigned before the job and after it (the picture read again). */
export function cameBack(
  freed: readonly Freed[],
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): CameBack[] {
  return freed
    .filter((f) => f.count > 0)
    .map((f) => ({
      key: f.key,
      name: f.name,
      before: before.get(f.key) ?? null,
      after: after.get(f.key) ?? null,
      expected: f.count,
    }));
}
