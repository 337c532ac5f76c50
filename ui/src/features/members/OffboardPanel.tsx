// Offboarding the selected members: who receives their content and the groups they own, then
// the impact report read from the portal (per member: items, folders, groups owned, licenses
// held; who cannot go and why, first), then the count typed to confirm, the job with progress
// and Stop, and every member's outcome.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { cancelBulk, offboard, planOffboard, type BulkProgress, type Impact, type Member, type OffboardPlan } from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { TextField } from "../../components/FormField";
import { queryKeys } from "../../platform/queries";
import { BulkResults } from "./BulkResults";
import { MemberPicker } from "./MemberPicker";
import "./panel.css";

const numberFormat = new Intl.NumberFormat();
/** Members drawn in the report (the counts cover everyone). */
const LIST_LIMIT = 500;

function plural(n: number, one: string, many: string): string {
  return `${numberFormat.format(n)} ${n === 1 ? one : many}`;
}

function ImpactRow({ m }: { m: Impact }) {
  const takes = [
    m.items > 0 && plural(m.items, "item", "items"),
    m.folders > 0 && plural(m.folders, "folder", "folders"),
    m.groupsOwned.length > 0 && `owns ${m.groupsOwned.join(", ")}`,
    m.licenses.length > 0 && `holds ${m.licenses.join(", ")}`,
  ].filter(Boolean);
  return (
    <li className="offboard-item" data-testid="offboard-item" data-username={m.username} data-verdict={m.refused ? "refused" : "delete"}>
      <div className="offboard-item__who">
        <strong>{m.username}</strong>
        <span className="offboard-item__note">{m.fullName}</span>
      </div>
      <span className={`status offboard-item__verdict offboard-item__verdict--${m.refused ? "refused" : "delete"}`}>
        {m.refused ? "Cannot be deleted" : "Will be deleted"}
      </span>
      {m.refused ? (
        <p className="offboard-item__what" data-testid="offboard-reason">{m.refused}</p>
      ) : (
        <p className="offboard-item__what" data-testid="offboard-impact">{takes.length > 0 ? takes.join(" · ") : "Owns nothing, holds no license."}</p>
      )}
    </li>
  );
}

interface Props {
  usernames: string[];
  onClose: () => void;
  /** Selects these members in the table (the ones not deleted, to try again). */
  onSelect: (usernames: string[]) => void;
}

export function OffboardPanel({ usernames, onClose, onSelect }: Props) {
  const queryClient = useQueryClient();
  // The members this panel is about, as selected when it opened: a selection changed in the
  // table meanwhile changes nothing here.
  const [names, setNames] = useState<readonly string[]>(() => [...usernames]);
  const [receiver, setReceiver] = useState<Member | null>(null);
  const [typed, setTyped] = useState("");
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const plan = useMutation({ mutationFn: () => planOffboard({ usernames: [...names], receiver: receiver?.username ?? null }) });
  // Only the members the report said will be deleted, with the receiver it was read with.
  const run = useMutation({
    mutationFn: (p: OffboardPlan) =>
      offboard({ usernames: p.members.filter((m) => m.refused === null).map((m) => m.username), receiver: p.receiver }, setProgress),
    onSettled: async () => {
      setProgress(null);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.members }),
        queryClient.invalidateQueries({ queryKey: queryKeys.groups }),
        queryClient.invalidateQueries({ queryKey: queryKeys.history }),
      ]);
    },
  });
  const selected = useMemo(() => new Set(names.map((u) => u.toLowerCase())), [names]);
  const notAReceiver = useCallback((m: Member) => m.disabled || selected.has(m.username.toLowerCase()), [selected]);
  const p = plan.data;
  const confirmed = p !== undefined && typed.trim() === String(p.deletable);

  return (
    <aside className="member-panel" aria-label="Delete the selected members" data-testid="offboard-panel">
      <calcite-panel
        heading={`Delete ${plural(names.length, "member", "members")}`}
        description={run.data ? "Finished" : run.isPending ? "Working…" : p ? "What it affects" : "Selected in the table"}
        closable={!run.isPending || undefined}
        oncalcitePanelClose={onClose}
      >
        {run.data ? (
          <BulkResults
            report={run.data}
            onRetry={(failed) => {
              onSelect(failed);
              setNames(failed);
              run.reset();
              plan.reset();
              setTyped("");
            }}
            onClose={onClose}
          />
        ) : (
          <div className="bulk-form">
            {receiver ? (
              <p className="bulk-form__summary" data-testid="offboard-receiver">
                {`Content and groups go to ${receiver.username}. `}
                <calcite-button
                  appearance="transparent"
                  scale="s"
                  disabled={run.isPending || undefined}
                  onClick={() => { setReceiver(null); plan.reset(); }}
                >
                  Change
                </calcite-button>
              </p>
            ) : (
              <MemberPicker
                label="Give their content and owned groups to"
                placeholder="Receiver's username or name"
                icon="user"
                exclude={notAReceiver}
                onPick={(m) => { setReceiver(m); plan.reset(); }}
                actionLabel="Receiver"
                actionIcon="check"
                testId="offboard-receiver-picker"
                noMatch="No active member outside the selection matches."
              />
            )}
            {!p && (
              <calcite-button
                icon-start="magnifying-glass"
                data-testid="offboard-check"
                loading={plan.isPending || undefined}
                onClick={() => { plan.mutate(); }}
              >
                Check what it affects
              </calcite-button>
            )}
            {plan.isError && <ErrorNotice error={plan.error} testId="offboard-plan-error" title="The impact could not be read" scale="s" />}
            {p && (
              <>
                <p className="bulk-form__summary" data-testid="offboard-summary" aria-live="polite">
                  {`${plural(p.deletable, "member", "members")} will be deleted`}
                  {p.deletable > 0 &&
                    `, with ${plural(p.items, "item", "items")}, ${plural(p.folders, "folder", "folders")} and ${plural(p.groups, "owned group", "owned groups")}${
                      p.receiver ? ` going to ${p.receiver}` : ""
                    }; ${plural(p.licenses, "license", "licenses")} taken back first`}
                  {"."}
                  {p.refused > 0 && ` ${plural(p.refused, "member", "members")} cannot be deleted.`}
                </p>
                <ul className="offboard-items" aria-label="What deleting each member affects">
                  {p.members.slice(0, LIST_LIMIT).map((m) => (
                    <ImpactRow key={m.username} m={m} />
                  ))}
                </ul>
                {p.members.length > LIST_LIMIT && <p className="offboard-item__note">{`and ${numberFormat.format(p.members.length - LIST_LIMIT)} more`}</p>}
                {p.deletable > 0 && !run.isPending && (
                  <TextField
                    label={`Type ${p.deletable} to confirm: a deleted account cannot be brought back`}
                    value={typed}
                    onChange={setTyped}
                    testId="offboard-confirm"
                  />
                )}
              </>
            )}
            {run.isError && <ErrorNotice error={run.error} testId="offboard-error" title="The offboarding stopped" scale="s" />}
            {run.isPending ? (
              <div className="bulk-form__running" data-testid="offboard-progress">
                <calcite-progress
                  type={progress && progress.total > 0 ? "determinate" : "indeterminate"}
                  value={progress && progress.total > 0 ? progress.done / progress.total : 0}
                  label="Deleting members"
                  text={progress ? `${numberFormat.format(progress.done)} of ${plural(progress.total, "member", "members")} deleted` : "Starting…"}
                />
                <calcite-button appearance="outline" kind="danger" icon-start="x" data-testid="offboard-cancel" onClick={() => void cancelBulk()}>
                  Stop
                </calcite-button>
              </div>
            ) : (
              p && (
                <div className="bulk-form__actions">
                  <calcite-button
                    kind="danger"
                    icon-start="trash"
                    data-testid="offboard-run"
                    disabled={!confirmed || p.deletable === 0 || undefined}
                    onClick={() => { run.mutate(p); }}
                  >
                    {`Delete ${plural(p.deletable, "member", "members")}`}
                  </calcite-button>
                  <calcite-button appearance="outline" kind="neutral" data-testid="offboard-back" onClick={() => { plan.reset(); setTyped(""); }}>
                    Back
                  </calcite-button>
                </div>
              )
            )}
          </div>
        )}
      </calcite-panel>
    </aside>
  );
}
