// Step 3 of a reclaim, once the job ran: every member's outcome (failures first, with the
// portal's reason) and the seats that came back: each freed line's assigned seats before the
// job and after it, from the picture read again.
import { useMemo } from "react";
import type { BulkReport } from "../../platform/backend";
import type { CameBack } from "./reclaim";
import { count } from "./seats";

const LIST_LIMIT = 500;
const ORDER = { failed: 0, skipped: 1, done: 2 } as const;

interface Props {
  report: BulkReport;
  back: readonly CameBack[];
  onAgain: () => void;
  onClose: () => void;
}

export function ReclaimResult({ report, back, onAgain, onClose }: Props) {
  const items = useMemo(
    () => [...report.items].sort((a, b) => ORDER[a.outcome] - ORDER[b.outcome]),
    [report],
  );
  return (
    <div className="reclaim-result" data-testid="reclaim-report">
      <calcite-notice
        open
        scale="s"
        kind={report.failed > 0 ? "warning" : "success"}
        icon={report.failed > 0 ? "exclamation-mark-triangle" : "check-circle"}
        data-testid="reclaim-report-summary"
      >
        <div slot="message">
          {`${count(report.done)} done, ${count(report.failed)} failed, ${count(report.skipped)} skipped.`}
        </div>
      </calcite-notice>

      {back.length > 0 && (
        <section aria-label="Seats that came back">
          <h3 className="reclaim-heading">Seats that came back</h3>
          <table className="reclaim-back" data-testid="reclaim-came-back">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Assigned before</th>
                <th scope="col">After</th>
                <th scope="col">Came back</th>
              </tr>
            </thead>
            <tbody>
              {back.map((b) => {
                const freed = b.before !== null && b.after !== null ? b.before - b.after : null;
                return (
                  <tr key={b.key} data-testid="reclaim-came-back-line" data-key={b.key}>
                    <th scope="row">{b.name}</th>
                    <td>{b.before === null ? "–" : count(b.before)}</td>
                    <td>{b.after === null ? "–" : count(b.after)}</td>
                    <td data-testid="reclaim-came-back-count">
                      {freed === null ? "–" : `${count(freed)} of ${count(b.expected)}`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}

      <ul className="reclaim-outcomes" aria-label="Outcome per member">
        {items.slice(0, LIST_LIMIT).map((i) => (
          <li key={i.username} data-testid="reclaim-outcome" data-username={i.username} data-outcome={i.outcome}>
            <calcite-icon
              scale="s"
              aria-hidden="true"
              icon={i.outcome === "done" ? "check" : i.outcome === "failed" ? "x-circle" : "minus-circle"}
              className={`reclaim-outcomes__icon reclaim-outcomes__icon--${i.outcome}`}
            />
            <span className="reclaim-outcomes__name">{`${i.username}: ${i.outcome}`}</span>
            {i.reason && <span className="reclaim-outcomes__reason">{i.reason}</span>}
          </li>
        ))}
      </ul>
      {items.length > LIST_LIMIT && (
        <p className="reclaim-note">{`and ${count(items.length - LIST_LIMIT)} more`}</p>
      )}
      <div className="reclaim-buttons">
        <calcite-button appearance="outline" data-testid="reclaim-again" onClick={onAgain}>
          Reclaim more
        </calcite-button>
        <calcite-button data-testid="reclaim-close" onClick={onClose}>
          Done
        </calcite-button>
      </div>
    </div>
  );
}
