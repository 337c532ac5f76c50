// The side panel undo and resume share: first the plan, read against the portal now (what
// will be sent, and what will not and why: conflicts and refusals first); then the job runs
// with progress and Stop; then each change's outcome is listed. Test ids start with the
// panel's kind (`undo-…`, `resume-…`).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { cancelBulk, type BulkProgress, type ReplayReport } from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { queryKeys } from "../../platform/queries";
import { fieldLabel } from "./history";

/** At most this many changes are drawn (the counts cover them all). */
const LIST_LIMIT = 500;
const numberFormat = new Intl.NumberFormat();
export const count = (n: number) => numberFormat.format(n);

/** One change of the plan, as the panel draws it. */
export interface ReplayRow {
  member: string;
  field: string;
  /** The verdict's id (kept in `data-verdict`) and its label. */
  verdict: string;
  label: string;
  /** How the verdict's badge looks: something will be sent, something to read, or neither. */
  tone: "act" | "warn" | "quiet";
  /** What will be sent, or why not. */
  detail: string | null;
  detailTestId: string;
}

/** What a plan says, as the panel needs it. */
export interface ReplayView {
  /** The job's one line. */
  summary: string;
  /** One sentence of counts. */
  sentence: string;
  /** Conflicts and refusals first. */
  rows: ReplayRow[];
  /** How many changes running it sends. */
  sendable: number;
}

interface Props<P> {
  kind: "undo" | "resume";
  heading: string;
  /** What the plan is read as (the query key's last parts). */
  planKey: readonly unknown[];
  readPlan: () => Promise<P>;
  view: (plan: P) => ReplayView;
  run: (onProgress: (p: BulkProgress) => void) => Promise<ReplayReport>;
  /** The run button: its icon and its label for `n` changes. */
  runIcon: string;
  runLabel: (n: number) => string;
  /** The progress bar's label and the word of a change that went through. */
  progressLabel: string;
  doneWord: string;
  planErrorTitle: string;
  runErrorTitle: string;
  /** One sentence of the outcome. */
  reportSentence: (r: ReplayReport) => string;
  onClose: () => void;
}

function Row({ row, kind }: { row: ReplayRow; kind: string }) {
  return (
    <li className="replay-item" data-testid={`${kind}-item`} data-member={row.member} data-field={row.field} data-verdict={row.verdict}>
      <div className="replay-item__who">
        <strong>{row.member}</strong>
        <span className="replay-note">{fieldLabel(row.field)}</span>
      </div>
      <span className={`status replay-item__verdict replay-item__verdict--${row.tone}`}>{row.label}</span>
      {row.detail && (
        <p className="replay-item__what" data-testid={row.detailTestId}>
          {row.detail}
        </p>
      )}
    </li>
  );
}

export function ReplayPanel<P>(props: Props<P>) {
  const { kind, onClose, view: viewOf } = props;
  const queryClient = useQueryClient();
  const plan = useQuery({
    queryKey: [...queryKeys.history, kind, ...props.planKey] as const,
    queryFn: props.readPlan,
    // Read against the portal each time the panel opens.
    gcTime: 0,
    staleTime: 0,
  });
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const run = useMutation({
    mutationFn: () => props.run(setProgress),
    onSettled: async () => {
      // The rows changed, and the journal has new outcomes.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.members }),
        queryClient.invalidateQueries({ queryKey: [...queryKeys.history, "jobs"] }),
        queryClient.invalidateQueries({ queryKey: [...queryKeys.history, "changes"] }),
        queryClient.invalidateQueries({ queryKey: [...queryKeys.history, "resumable"] }),
        // A deletion replayed with a receiver hands groups over.
        queryClient.invalidateQueries({ queryKey: queryKeys.groups }),
      ]);
    },
  });
  const v = useMemo(() => (plan.data === undefined ? null : viewOf(plan.data)), [plan.data, viewOf]);
  const failedFirst = useMemo(
    () => [...(run.data?.items ?? [])].sort((a, b) => Number(a.outcome === "done") - Number(b.outcome === "done")),
    [run.data],
  );

  return (
    <aside className="history-panel" aria-label={props.heading} data-testid={`${kind}-panel`}>
      <calcite-panel heading={props.heading} description={v?.summary ?? ""} closable={!run.isPending || undefined} oncalcitePanelClose={onClose}>
        <div className="history-panel__body">
          {plan.isPending && (
            <div className="center">
              <calcite-loader label="Reading what the portal holds now" data-testid={`${kind}-loading`} />
            </div>
          )}
          {plan.isError && (
            <ErrorNotice error={plan.error} testId={`${kind}-plan-error`} title={props.planErrorTitle} scale="s" onRetry={() => void plan.refetch()} />
          )}
          {v && !run.data && (
            <>
              <p className="replay-summary" data-testid={`${kind}-summary`} aria-live="polite">
                {v.sentence}
              </p>
              <ul className="replay-items" aria-label="Changes of the job">
                {v.rows.slice(0, LIST_LIMIT).map((r) => (
                  <Row key={`${r.member}\u0000${r.field}`} row={r} kind={kind} />
                ))}
              </ul>
              {v.rows.length > LIST_LIMIT && <p className="replay-note">{`and ${count(v.rows.length - LIST_LIMIT)} more`}</p>}
            </>
          )}
          {run.isPending && (
            <div className="replay-running" data-testid={`${kind}-progress`}>
              <calcite-progress
                type={progress && progress.total > 0 ? "determinate" : "indeterminate"}
                value={progress && progress.total > 0 ? progress.done / progress.total : 0}
                label={props.progressLabel}
                text={progress ? `${count(progress.done)} of ${count(progress.total)} changes` : "Reading the portal again…"}
              />
              <calcite-button appearance="outline" kind="neutral" data-testid={`${kind}-cancel`} onClick={() => void cancelBulk()}>
                Stop
              </calcite-button>
            </div>
          )}
          {run.isError && <ErrorNotice error={run.error} testId={`${kind}-run-error`} title={props.runErrorTitle} scale="s" />}
          {run.data && (
            <div className="replay-result" data-testid={`${kind}-report`}>
              <calcite-notice
                open
                scale="s"
                kind={run.data.failed + run.data.skipped > 0 ? "warning" : "success"}
                icon={run.data.failed + run.data.skipped > 0 ? "exclamation-mark-triangle" : "check-circle"}
                data-testid={`${kind}-report-summary`}
              >
                <div slot="message">{props.reportSentence(run.data)}</div>
              </calcite-notice>
              <ul className="replay-items" aria-label="Outcomes">
                {failedFirst.slice(0, LIST_LIMIT).map((o) => (
                  <li key={`${o.member}\u0000${o.field}`} className="replay-item" data-testid={`${kind}-outcome`} data-member={o.member} data-outcome={o.outcome}>
                    <div className="replay-item__who">
                      <strong>{o.member}</strong>
                      <span className="replay-note">{fieldLabel(o.field)}</span>
                    </div>
                    <span className={`status history__outcome--${o.outcome}`}>{o.outcome === "done" ? props.doneWord : o.outcome}</span>
                    {o.reason && <p className="replay-item__what">{o.reason}</p>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="replay-buttons">
            {run.data ? (
              <calcite-button data-testid={`${kind}-close`} onClick={onClose}>
                Close
              </calcite-button>
            ) : (
              <calcite-button
                icon-start={props.runIcon}
                data-testid={`${kind}-run`}
                disabled={!v || v.sendable === 0 || run.isPending || undefined}
                loading={run.isPending || undefined}
                onClick={() => { run.mutate(); }}
              >
                {props.runLabel(v?.sendable ?? 0)}
              </calcite-button>
            )}
          </div>
        </div>
      </calcite-panel>
    </aside>
  );
}
