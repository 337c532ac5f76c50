// Undo, in a side panel of the History view: first what undoing the job (or one change) would
// do, read against the portal now (what will be set back, what is already back, what someone
// changed since: a conflict with both values, what cannot be undone and why); then the undo
// runs as a new job with progress, and each change's outcome is listed.
import { useCallback } from "react";
import { planUndo, undo, type UndoItem, type UndoPlan, type UndoRequest, type UndoVerdict } from "../../platform/backend";
import { count, ReplayPanel, type ReplayRow, type ReplayView } from "./ReplayPanel";

const VERDICT_LABELS: Record<UndoVerdict, string> = {
  undo: "Will be undone",
  unchanged: "Already back",
  conflict: "Conflict",
  refused: "Cannot be undone",
};

/** Conflicts and refusals first: they are what the administrator must read. */
const ORDER: Record<UndoVerdict, number> = { conflict: 0, refused: 1, undo: 2, unchanged: 3 };

function row(i: UndoItem): ReplayRow {
  const base = { member: i.member, field: i.field, verdict: i.verdict, label: VERDICT_LABELS[i.verdict] };
  switch (i.verdict) {
    case "undo":
      return { ...base, tone: "act", detail: i.action, detailTestId: "undo-action" };
    case "conflict":
      return {
        ...base,
        tone: "warn",
        detail: `Now ${i.currentText || "nothing"}; the job set ${i.afterText || "nothing"}.`,
        detailTestId: "undo-conflict",
      };
    case "refused":
      return { ...base, tone: "warn", detail: i.reason, detailTestId: "undo-reason" };
    case "unchanged":
      return { ...base, tone: "quiet", detail: null, detailTestId: "undo-reason" };
  }
}

function view(p: UndoPlan): ReplayView {
  let sentence =
    p.undo === 0 ? "Nothing can be undone now." : `${count(p.undo)} ${p.undo === 1 ? "change" : "changes"} will be set back.`;
  if (p.conflicts > 0) sentence += ` ${count(p.conflicts)} changed since (left as they are).`;
  if (p.refused > 0) sentence += ` ${count(p.refused)} cannot be undone.`;
  if (p.unchanged > 0) sentence += ` ${count(p.unchanged)} already back.`;
  if (p.notApplied > 0) sentence += ` ${count(p.notApplied)} never reached the portal.`;
  return {
    summary: p.summary,
    sentence,
    rows: [...p.items].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict]).map(row),
    sendable: p.undo,
  };
}

interface Props {
  request: UndoRequest;
  /** "Job #12" or "One change of job #12". */
  title: string;
  onClose: () => void;
}

export function UndoPanel({ request, title, onClose }: Props) {
  const readPlan = useCallback(() => planUndo(request), [request]);
  const run = useCallback((onProgress: Parameters<typeof undo>[1]) => undo(request, onProgress), [request]);
  return (
    <ReplayPanel
      kind="undo"
      heading={`Undo ${title}`}
      planKey={[request.job, request.change]}
      readPlan={readPlan}
      view={view}
      run={run}
      runIcon="undo"
      runLabel={(n) => (n > 0 ? `Undo ${count(n)} ${n === 1 ? "change" : "changes"}` : "Undo")}
      progressLabel="Undoing"
      doneWord="Undone"
      planErrorTitle="The undo could not be planned"
      runErrorTitle="The undo stopped"
      reportSentence={(r) => `${count(r.done)} undone, ${count(r.failed)} failed, ${count(r.skipped)} skipped (job #${r.job}).`}
      onClose={onClose}
    />
  );
}
