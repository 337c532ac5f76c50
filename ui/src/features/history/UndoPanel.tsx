// Undo, in a side panel of the History view: first what undoing the job (or one change) would
// do, read against the portal now (what will be set back, what is already back, what someone
// changed since: a conflict with both values, what cannot be undone and why); then the undo
// runs as a new job with progress, and each change's outcome is listed.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import {
  cancelBulk,
  planUndo,
  undo,
  type BulkProgress,
  type UndoItem,
  type UndoRequest,
  type UndoVerdict,
} from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { queryKeys } from "../../platform/queries";
import { fieldLabel } from "./history";

/** At most this many changes are drawn (the counts cover them all). */
const LIST_LIMIT = 500;
const numberFormat = new Intl.NumberFormat();
const count = (n: number) => numberFormat.format(n);

const VERDICT_LABELS: Record<UndoVerdict, string> = {
  undo: "Will be undone",
  unchanged: "Already back",
  conflict: "Conflict",
  refused: "Cannot be undone",
};

/** Conflicts and refusals first: they are what the administrator must read. */
const ORDER: Record<UndoVerdict, number> = { conflict: 0, refused: 1, undo: 2, unchanged: 3 };

interface Props {
  request: UndoRequest;
  /** "Job #12" or "One change of job #12". */
  title: string;
  onClose: () => void;
}

function Item({ item }: { item: UndoItem }) {
  return (
    <li className="undo-item" data-testid="undo-item" data-member={item.member} data-field={item.field} data-verdict={item.verdict}>
      <div className="undo-item__who">
        <strong>{item.member}</strong>
        <span className="undo-note">{fieldLabel(item.field)}</span>
      </div>
      <span className={`status undo-item__verdict undo-item__verdict--${item.verdict}`}>{VERDICT_LABELS[item.verdict]}</span>
      {item.verdict === "undo" && <p className="undo-item__what" data-testid="undo-action">{item.action}</p>}
      {item.verdict === "conflict" && (
        <p className="undo-item__what" data-testid="undo-conflict">
          {`Now ${item.currentText || "nothing"}; the job set ${item.afterText || "nothing"}.`}
        </p>
      )}
      {item.verdict === "refused" && item.reason && (
        <p className="undo-item__what" data-testid="undo-reason">{item.reason}</p>
      )}
    </li>
  );
}

export function UndoPanel({ request, title, onClose }: Props) {
  const queryClient = useQueryClient();
  const plan = useQuery({
    queryKey: [...queryKeys.history, "undo", request.job, request.change] as const,
    queryFn: () => planUndo(request),
    // Read against the portal each time the panel opens.
    gcTime: 0,
    staleTime: 0,
  });
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const run = useMutation({
    mutationFn: (r: UndoRequest) => undo(r, setProgress),
    onSettled: async () => {
      // The rows changed, and the journal has a new job.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.members }),
        queryClient.invalidateQueries({ queryKey: [...queryKeys.history, "jobs"] }),
        queryClient.invalidateQueries({ queryKey: [...queryKeys.history, "changes"] }),
      ]);
    },
  });
  const items = useMemo(
    () => [...(plan.data?.items ?? [])].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict]),
    [plan.data],
  );
  const p = plan.data;
  const failedFirst = useMemo(
    () => [...(run.data?.items ?? [])].sort((a, b) => Number(a.outcome === "done") - Number(b.outcome === "done")),
    [run.data],
  );

  return (
    <aside className="history-panel" aria-label="Undo" data-testid="undo-panel">
      <calcite-panel
        heading={`Undo ${title}`}
        description={p?.summary ?? ""}
        closable={!run.isPending || undefined}
        oncalcitePanelClose={onClose}
      >
        <div className="history-panel__body">
          {plan.isPending && (
            <div className="center">
              <calcite-loader label="Reading what the portal holds now" data-testid="undo-loading" />
            </div>
          )}
          {plan.isError && (
            <ErrorNotice error={plan.error} testId="undo-plan-error" title="The undo could not be planned" scale="s" onRetry={() => void plan.refetch()} />
          )}
          {p && !run.data && (
            <>
              <p className="undo-summary" data-testid="undo-summary" aria-live="polite">
                {p.undo === 0
                  ? "Nothing can be undone now."
                  : `${count(p.undo)} ${p.undo === 1 ? "change" : "changes"} will be set back.`}
                {p.conflicts > 0 && ` ${count(p.conflicts)} changed since (left as they are).`}
                {p.refused > 0 && ` ${count(p.refused)} cannot be undone.`}
                {p.unchanged > 0 && ` ${count(p.unchanged)} already back.`}
                {p.notApplied > 0 && ` ${count(p.notApplied)} never reached the portal.`}
              </p>
              <ul className="undo-items" aria-label="Changes of the job">
                {items.slice(0, LIST_LIMIT).map((i) => (
                  <Item key={`${i.member}\u0000${i.field}`} item={i} />
                ))}
              </ul>
              {items.length > LIST_LIMIT && (
                <p className="undo-note">{`and ${count(items.length - LIST_LIMIT)} more`}</p>
              )}
            </>
          )}
          {run.isPending && (
            <div className="undo-running" data-testid="undo-progress">
              <calcite-progress
                type={progress && progress.total > 0 ? "determinate" : "indeterminate"}
                value={progress && progress.total > 0 ? progress.done / progress.total : 0}
                label="Undoing"
                text={progress ? `${count(progress.done)} of ${count(progress.total)} changes` : "Reading the portal again…"}
              />
              <calcite-button appearance="outline" kind="neutral" data-testid="undo-cancel" onClick={() => void cancelBulk()}>
                Stop
              </calcite-button>
            </div>
          )}
          {run.isError && <ErrorNotice error={run.error} testId="undo-run-error" title="Nothing was undone" scale="s" />}
          {run.data && (
            <div className="undo-result" data-testid="undo-report">
              <calcite-notice
                open
                scale="s"
                kind={run.data.failed + run.data.skipped > 0 ? "warning" : "success"}
                icon={run.data.failed + run.data.skipped > 0 ? "exclamation-mark-triangle" : "check-circle"}
                data-testid="undo-report-summary"
              >
                <div slot="message">
                  {`${count(run.data.done)} undone, ${count(run.data.failed)} failed, ${count(run.data.skipped)} skipped (job #${run.data.job ?? ""}).`}
                </div>
              </calcite-notice>
              <ul className="undo-items" aria-label="Outcomes">
                {failedFirst.slice(0, LIST_LIMIT).map((o) => (
                  <li key={`${o.member}\u0000${o.field}`} className="undo-item" data-testid="undo-outcome" data-member={o.member} data-outcome={o.outcome}>
                    <div className="undo-item__who">
                      <strong>{o.member}</strong>
                      <span className="undo-note">{fieldLabel(o.field)}</span>
                    </div>
                    <span className={`status history__outcome--${o.outcome}`}>{o.outcome === "done" ? "Undone" : o.outcome}</span>
                    {o.reason && <p className="undo-item__what">{o.reason}</p>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="undo-buttons">
            {run.data ? (
              <calcite-button data-testid="undo-close" onClick={onClose}>
                Close
              </calcite-button>
            ) : (
              <calcite-button
                icon-start="undo"
                data-testid="undo-run"
                disabled={!p || p.undo === 0 || run.isPending || undefined}
                loading={run.isPending || undefined}
                onClick={() => { run.mutate(request); }}
              >
                {p && p.undo > 0 ? `Undo ${count(p.undo)} ${p.undo === 1 ? "change" : "changes"}` : "Undo"}
              </calcite-button>
            )}
          </div>
        </div>
      </calcite-panel>
    </aside>
  );
}
