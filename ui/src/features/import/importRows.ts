// The Import screen's rows: each row's plan, and once the job ran, its outcome.
import type { ImportPlan, ImportReport, RowAction, RowPlan } from "../../platform/backend";

/** One line of the table. */
export interface RowResult {
  row: number;
  username: string;
  email: string;
  action: RowAction;
  /** What changes (a plan) or why not (invalid, failed), with the notes. */
  detail: string;
  /** After the run: done, failed, skipped, invalid or unchanged. */
  outcome: string | null;
}

/** The rows of a plan, with the report's outcomes once there is one. */
export function outcomeRows(
  plan: ImportPlan,
  report: ImportReport | null,
  changesText: (r: RowPlan) => string,
): RowResult[] {
  const outcomes = new Map((report?.rows ?? []).map((o) => [o.row, o]));
  return plan.rows.map((r) => {
    const o = outcomes.get(r.row);
    const why = o?.outcome === "failed" || o?.outcome === "skipped" ? o.reason : r.reason;
    const detail = [why ?? changesText(r), ...r.notes].filter((s) => s !== "").join(" · ");
    return {
      row: r.row,
      username: r.username,
      email: r.email,
      action: r.action,
      detail,
      outcome: o?.outcome ?? null,
    };
  });
}
