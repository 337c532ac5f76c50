// The notice of a job that was cut off (the app or the command line killed, the power lost, a
// connection dropped mid-job): shown above every view after sign-in until the job is resumed
// or the notice dismissed, with a way straight to the resume's preview.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Job } from "../../platform/backend";
import { resumableQuery } from "../../platform/queries";
import { count } from "./ReplayPanel";

interface Props {
  onResume: (job: Job["id"]) => void;
}

export function ResumeNotice({ onResume }: Props) {
  const jobs = useQuery(resumableQuery());
  const [dismissed, setDismissed] = useState<ReadonlySet<Job["id"]>>(new Set());
  const waiting = (jobs.data ?? []).filter((j) => !dismissed.has(j.id));
  const job = waiting[0];
  if (!job) return null;
  const how = job.state === "interrupted" ? "was cut off before it finished" : "stopped before it finished";
  return (
    <calcite-notice
      open
      kind="warning"
      icon="exclamation-mark-triangle"
      closable
      className="resume-notice"
      data-testid="resume-notice"
      data-job={String(job.id)}
      oncalciteNoticeClose={() => { setDismissed((d) => new Set([...d, job.id])); }}
    >
      <div slot="title">{`Job #${job.id} ${how}`}</div>
      <div slot="message">
        {`“${job.summary}”: ${count(job.pending)} ${job.pending === 1 ? "change has" : "changes have"} no known outcome. `}
        Resuming checks each one against the portal first: nothing is sent twice.
        {waiting.length > 1 && ` ${count(waiting.length - 1)} more ${waiting.length === 2 ? "job waits" : "jobs wait"} in the History view.`}
      </div>
      <calcite-button slot="link" appearance="transparent" scale="s" icon-start="play" data-testid="resume-review" onClick={() => { onResume(job.id); }}>
        Review and resume…
      </calcite-button>
    </calcite-notice>
  );
}
