// The result of a bulk change: every member's outcome with the portal's reason, filtered by
// outcome; the members not changed can be selected again to retry after a fix.
import { useMemo, useState } from "react";
import type { BulkReport } from "../../platform/backend";
import { OutcomeList } from "./OutcomeList";

const numberFormat = new Intl.NumberFormat();

/** Rows shown in the result list; the counts always cover everyone. */
const LIST_LIMIT = 1000;

function members(n: number): string {
  return `${numberFormat.format(n)} ${n === 1 ? "member" : "members"}`;
}

type Show = "all" | "failed" | "done" | "skipped";

export function BulkResults({
  report,
  onRetry,
  onClose,
}: {
  report: BulkReport;
  onRetry: (failed: string[]) => void;
  onClose: () => void;
}) {
  const [show, setShow] = useState<Show>(report.failed > 0 ? "failed" : "all");
  const items = useMemo(
    () => report.items.filter((i) => show === "all" || i.outcome === show),
    [report, show],
  );
  const failed = useMemo(
    () => report.items.filter((i) => i.outcome !== "done").map((i) => i.username),
    [report],
  );
  return (
    <div className="bulk-results" data-testid="bulk-results">
      <calcite-notice
        open
        scale="s"
        kind={report.failed > 0 ? "warning" : report.skipped > 0 ? "info" : "success"}
        icon={report.failed > 0 ? "exclamation-mark-triangle" : "check-circle"}
        data-testid="bulk-summary-result"
      >
        <div slot="message">
          {`${numberFormat.format(report.done)} done, ${numberFormat.format(report.failed)} failed, ${numberFormat.format(report.skipped)} skipped.`}
        </div>
      </calcite-notice>
      <calcite-segmented-control
        label="Show"
        scale="s"
        oncalciteSegmentedControlChange={(e) => { setShow(e.target.value as Show); }}
      >
        {(["all", "failed", "done", "skipped"] as const).map((s) => (
          <calcite-segmented-control-item key={s} value={s} checked={show === s} data-testid={`bulk-show-${s}`}>
            {s === "all"
              ? `All (${numberFormat.format(report.items.length)})`
              : `${s[0]?.toUpperCase() ?? ""}${s.slice(1)} (${numberFormat.format(report[s])})`}
          </calcite-segmented-control-item>
        ))}
      </calcite-segmented-control>
      <OutcomeList
        testId="bulk-result"
        limit={LIST_LIMIT}
        rows={items.map((i) => ({
          username: i.username,
          label: i.username,
          tone: i.outcome,
          reason: i.reason,
          data: { "data-outcome": i.outcome },
        }))}
      />
      <div className="bulk-results__actions">
        {failed.length > 0 && (
          <calcite-button
            appearance="outline"
            icon-start="select-range"
            data-testid="bulk-select-failed"
            onClick={() => { onRetry(failed); }}
          >
            {`Select the ${members(failed.length)} not changed`}
          </calcite-button>
        )}
        <calcite-button data-testid="bulk-close" onClick={onClose}>
          Done
        </calcite-button>
      </div>
    </div>
  );
}
