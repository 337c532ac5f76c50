// What a bulk change would do, before anything is sent: the summary in sentences ("195
// selected: 62 will change", "133 cannot: …", "4 seats of Creator short"), then the members,
// filtered by what would happen to them, each with its reason.
import { useMemo, useState } from "react";
import type { BulkPlan, Verdict } from "../../platform/backend";
import { OutcomeList, type Tone } from "./OutcomeList";

const numberFormat = new Intl.NumberFormat();

/** Rows shown in the list; the counts always cover everyone. */
const LIST_LIMIT = 500;

const SHOWS: { id: Verdict; label: string }[] = [
  { id: "refused", label: "Cannot" },
  { id: "change", label: "Will change" },
  { id: "unchanged", label: "Already" },
];

/** How each verdict looks in the list. */
const TONES = { change: "done", unchanged: "skipped", refused: "failed" } as const satisfies Record<Verdict, Tone>;

export function BulkPreview({ plan }: { plan: BulkPlan }) {
  const [show, setShow] = useState<Verdict>(plan.refused > 0 ? "refused" : "change");
  // Built once per plan and choice: the panel re-renders on every progress tick of the run.
  const rows = useMemo(
    () =>
      plan.items
        .filter((i) => i.verdict === show)
        .map((i) => ({
          username: i.username,
          label: i.fullName || i.username,
          tone: TONES[i.verdict],
          reason: i.reason,
          data: { "data-verdict": i.verdict },
        })),
    [plan, show],
  );
  return (
    <div className="bulk-preview" data-testid="bulk-preview">
      <calcite-notice
        open
        scale="s"
        kind={plan.refused > 0 ? "warning" : plan.change > 0 ? "success" : "info"}
        icon={plan.refused > 0 ? "exclamation-mark-triangle" : "check-circle"}
      >
        <div slot="message">
          <ul className="bulk-preview__summary" data-testid="bulk-plan-summary">
            {plan.summary.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      </calcite-notice>
      <calcite-segmented-control
        label="Show"
        scale="s"
        oncalciteSegmentedControlChange={(e) => { setShow(e.target.value as Verdict); }}
      >
        {SHOWS.map((s) => (
          <calcite-segmented-control-item key={s.id} value={s.id} checked={show === s.id} data-testid={`bulk-plan-show-${s.id}`}>
            {`${s.label} (${numberFormat.format(plan[s.id])})`}
          </calcite-segmented-control-item>
        ))}
      </calcite-segmented-control>
      <OutcomeList testId="bulk-plan-item" limit={LIST_LIMIT} rows={rows} />
    </div>
  );
}
