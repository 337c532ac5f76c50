// A list of members each with an outcome (done, refused, unchanged…) and the reason, as the
// bulk panel's preview and result show them: the first rows only (the counts above it cover
// everyone), names as text.
const numberFormat = new Intl.NumberFormat();

/** The look of a row: done (check), failed (cross), skipped (dash). */
export type Tone = "done" | "failed" | "skipped";

const ICONS = { done: "check", failed: "x-circle", skipped: "minus-circle" } as const;

export interface OutcomeRow {
  username: string;
  /** What the row says: the username or the full name. */
  label: string;
  tone: Tone;
  reason: string | null;
  /** `data-*` attributes of the row (what tests read: `data-outcome`, `data-verdict`). */
  data: Record<`data-${string}`, string>;
}

export function OutcomeList({ rows, testId, limit }: { rows: readonly OutcomeRow[]; testId: string; limit: number }) {
  if (rows.length === 0) return <p className="bulk-results__empty">No member here.</p>;
  return (
    <>
      <ul className="bulk-results__list">
        {rows.slice(0, limit).map((r) => (
          <li key={r.username} data-testid={testId} data-username={r.username} {...r.data}>
            <calcite-icon
              scale="s"
              aria-hidden="true"
              icon={ICONS[r.tone]}
              className={`bulk-results__icon bulk-results__icon--${r.tone}`}
            />
            <span className="bulk-results__name">{r.label}</span>
            {r.reason && <span className="bulk-results__reason">{r.reason}</span>}
          </li>
        ))}
      </ul>
      {rows.length > limit && (
        <p className="bulk-results__empty">{`and ${numberFormat.format(rows.length - limit)} more`}</p>
      )}
    </>
  );
}
