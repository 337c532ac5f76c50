// Resuming a job that was cut off, in a side panel of the History view: first each change
// without a known outcome read against the portal (went through: marked done, not sent
// again; never arrived: sent now; changed since: a conflict, left alone; cannot be sent again:
// why), then the resume runs with progress, and each change's outcome is listed.
import { useCallback } from "react";
import { planResume, resumeJob, type Job, type ResumeItem, type ResumePlan, type ResumeVerdict } from "../../platform/backend";
import { count, ReplayPanel, type ReplayRow, type ReplayView } from "./ReplayPanel";

const VERDICT_LABELS: Record<ResumeVerdict, string> = {
  send: "Will be sent",
  applied: "Went through",
  conflict: "Conflict",
  refused: "Cannot be sent",
};

/** Conflicts and refusals first: they are what the administrator must read. */
const ORDER: Record<ResumeVerdict, number> = { conflict: 0, refused: 1, send: 2, applied: 3 };

function row(i: ResumeItem): ReplayRow {
  const base = { member: i.member, field: i.field, verdict: i.verdict, label: VERDICT_LABELS[i.verdict] };
  switch (i.verdict) {
    case "send":
      return { ...base, tone: "act", detail: `${i.currentText || "nothing"} → ${i.afterText || "nothing"}`, detailTestId: "resume-action" };
    case "applied":
      return { ...base, tone: "quiet", detail: null, detailTestId: "resume-reason" };
    default:
      return { ...base, tone: "warn", detail: i.reason, detailTestId: "resume-reason" };
  }
}

function view(p: ResumePlan): ReplayView {
  let sentence = `${count(p.items.length)} ${p.items.length === 1 ? "change has" : "changes have"} no known outcome.`;
  if (p.applied > 0) sentence += ` ${count(p.applied)} went through (not sent again).`;
  sentence += p.send > 0 ? ` ${count(p.send)} never arrived and will be sent.` : " Nothing needs sending.";
  if (p.conflicts > 0) sentence += ` ${count(p.conflicts)} changed since (left as they are).`;
  if (p.refused > 0) sentence += ` ${count(p.refused)} cannot be sent again.`;
  return {
    summary: p.job.summary,
    sentence,
    rows: [...p.items].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict]).map(row),
    // Marking what went through is worth a run too: the job then ends.
    sendable: p.items.length,
  };
}

interface Props {
  job: Job["id"];
  onClose: () => void;
}

export function ResumePanel({ job, onClose }: Props) {
  const readPlan = useCallback(() => planResume({ job }), [job]);
  const run = useCallback((onProgress: Parameters<typeof resumeJob>[1]) => resumeJob({ job }, onProgress), [job]);
  return (
    <ReplayPanel
      kind="resume"
      heading={`Resume job #${job ?? ""}`}
      planKey={[job]}
      readPlan={readPlan}
      view={view}
      run={run}
      runIcon="play"
      runLabel={(n) => (n > 0 ? `Resume ${count(n)} ${n === 1 ? "change" : "changes"}` : "Resume")}
      progressLabel="Resuming"
      doneWord="Done"
      planErrorTitle="The resume could not be planned"
      runErrorTitle="The resume stopped"
      reportSentence={(r) => `${count(r.done)} done, ${count(r.failed)} failed, ${count(r.skipped)} skipped (job #${r.job}).`}
      onClose={onClose}
    />
  );
}
