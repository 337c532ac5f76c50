// Reclaiming idle seats, as a guided flow in a side panel: 1. who and what (ReclaimRequestForm),
// 2. the plan, checked locally, with each member kept or left out (ReclaimPreview), 3. the job
// with its progress, then every member's outcome and the seats that came back (ReclaimResult).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import {
  planReclaim,
  reclaim,
  type BulkProgress,
  type ReclaimRequest,
} from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { licensePictureQuery, memberChoicesQuery, queryKeys } from "../../platform/queries";
import { ReclaimPreview } from "./ReclaimPreview";
import { ReclaimRequestForm } from "./ReclaimRequestForm";
import { ReclaimResult } from "./ReclaimResult";
import {
  actionable,
  assignedByKey,
  cameBack,
  emptyForm,
  keptFreed,
  toRequest,
  type ReclaimForm,
} from "./reclaim";
import { count } from "./seats";

interface Props {
  onClose: () => void;
}

export function ReclaimPanel({ onClose }: Props) {
  const queryClient = useQueryClient();
  const picture = useQuery(licensePictureQuery());
  const choices = useQuery(memberChoicesQuery());
  const [form, setForm] = useState<ReclaimForm>(emptyForm);
  // Members of the plan left out by the administrator (all are kept at first).
  const [dropped, setDropped] = useState<ReadonlySet<string>>(() => new Set());
  const [progress, setProgress] = useState<BulkProgress | null>(null);

  const plan = useMutation({
    mutationFn: (request: ReclaimRequest) => planReclaim(request),
    onSuccess: () => { setDropped(new Set()); },
  });
  const run = useMutation({
    mutationFn: async ({ request, usernames }: { request: ReclaimRequest; usernames: string[] }) => {
      const before = assignedByKey(queryClient.getQueryData(licensePictureQuery().queryKey));
      const report = await reclaim(request, usernames, setProgress);
      return { report, before };
    },
    onSettled: async () => {
      setProgress(null);
      // The rows changed: the members, the picture and the offers' counts are read again.
      await queryClient.invalidateQueries({ queryKey: queryKeys.members });
    },
  });

  const lines = useMemo(() => picture.data?.lines ?? [], [picture.data]);
  const names = useMemo(() => {
    const out = new Map(lines.map((l) => [l.key, l.name]));
    for (const r of choices.data?.roles ?? []) out.set(r.id, r.name);
    return out;
  }, [lines, choices.data]);
  const targetName = choices.data?.userTypes.find((t) => t.id === form.downgradeTo)?.name ?? null;
  const back = useMemo(() => {
    if (!run.data || !plan.data) return [];
    return cameBack(keptFreed(plan.data, dropped), run.data.before, assignedByKey(picture.data));
  }, [run.data, plan.data, dropped, picture.data]);

  const start = () => {
    const items = plan.data?.items ?? [];
    const usernames = items.filter((i) => actionable(i) && !dropped.has(i.username)).map((i) => i.username);
    run.mutate({ request: plan.variables ?? toRequest(form), usernames });
  };
  const again = () => {
    run.reset();
    plan.reset();
  };
  const step = run.data ? 3 : run.isPending || plan.data ? 2 : 1;

  return (
    <aside className="licenses-panel" aria-label="Reclaim seats" data-testid="reclaim-panel">
      <calcite-panel
        heading="Reclaim seats"
        description={
          step === 1 ? "1 of 3: who and what" : step === 2 ? "2 of 3: check the plan" : "3 of 3: what came back"
        }
        closable={!run.isPending || undefined}
        oncalcitePanelClose={onClose}
      >
        <div className="licenses-panel__body">
          {step === 1 && (
            <ReclaimRequestForm
              lines={lines}
              form={form}
              onChange={setForm}
              busy={plan.isPending}
              onPreview={() => { plan.mutate(toRequest(form)); }}
            />
          )}
          {plan.isError && (
            <ErrorNotice error={plan.error} testId="reclaim-error" title="The plan could not be made" scale="s" />
          )}
          {step === 2 && plan.data && !run.isPending && (
            <ReclaimPreview
              plan={plan.data}
              names={names}
              targetName={targetName}
              dropped={dropped}
              onDroppedChange={setDropped}
              onRun={start}
              onBack={() => { plan.reset(); }}
            />
          )}
          {run.isPending && (
            <div className="reclaim-running" data-testid="reclaim-progress">
              <calcite-progress
                type={progress && progress.total > 0 ? "determinate" : "indeterminate"}
                value={progress && progress.total > 0 ? progress.done / progress.total : 0}
                label="Reclaiming seats"
                text={progress ? `${count(progress.done)} of ${count(progress.total)} steps` : "Starting…"}
              />
              <p className="reclaim-note">Licenses are revoked first, then roles lowered where needed, then user types.</p>
            </div>
          )}
          {run.isError && (
            <ErrorNotice error={run.error} testId="reclaim-run-error" title="Nothing was reclaimed" scale="s" />
          )}
          {run.data && (
            <ReclaimResult report={run.data.report} back={back} onAgain={again} onClose={onClose} />
          )}
        </div>
      </calcite-panel>
    </aside>
  );
}
