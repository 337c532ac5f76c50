// A bulk change to the selected members: choose what to do, watch it run (with cancel), then
// read every member's outcome. Failed members can be selected again to retry after a fix.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import {
  bulkChange,
  cancelBulk,
  type BulkKind,
  type BulkProgress,
  type BulkReport,
} from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { FormField } from "../../components/FormField";
import { groupsQuery, memberChoicesQuery, queryKeys } from "../../platform/queries";
import "./panel.css";

const numberFormat = new Intl.NumberFormat();

/** What a person can do to many members at once; `target` names what must be chosen. */
export const ACTIONS: { kind: BulkKind; label: string; target: "role" | "user type" | "group" | null }[] = [
  { kind: "setRole", label: "Change role", target: "role" },
  { kind: "setUserType", label: "Change user type", target: "user type" },
  { kind: "disable", label: "Disable", target: null },
  { kind: "enable", label: "Enable", target: null },
  { kind: "addToGroup", label: "Add to group", target: "group" },
  { kind: "removeFromGroup", label: "Remove from group", target: "group" },
];

/** Rows shown in the result list; the counts always cover everyone. */
const LIST_LIMIT = 1000;

function members(n: number): string {
  return `${numberFormat.format(n)} ${n === 1 ? "member" : "members"}`;
}

/** The sentence that says what Apply will do. */
export function describe(kind: BulkKind, count: number, targetName: string): string {
  const who = members(count);
  switch (kind) {
    case "setRole":
      return `Give ${who} the role ${targetName}.`;
    case "setUserType":
      return `Give ${who} the user type ${targetName}.`;
    case "disable":
      return `Disable ${who}. They can no longer sign in; their content and settings stay.`;
    case "enable":
      return `Enable ${who}, so they can sign in again.`;
    case "addToGroup":
      return `Add ${who} to the group ${targetName}.`;
    case "removeFromGroup":
      return `Remove ${who} from the group ${targetName}.`;
  }
}

interface Props {
  usernames: readonly string[];
  onClose: () => void;
  /** Replaces the selection (to retry the failed members). */
  onSelect: (usernames: string[]) => void;
}

export function BulkPanel({ usernames, onClose, onSelect }: Props) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<BulkKind>("setRole");
  const [target, setTarget] = useState("");
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const action = ACTIONS.find((a) => a.kind === kind) ?? ACTIONS[0];
  const choices = useQuery(memberChoicesQuery());
  const groups = useQuery({ ...groupsQuery(), enabled: action?.target === "group" });
  const options = useMemo(() => {
    switch (action?.target) {
      case "role":
        return choices.data?.roles ?? [];
      case "user type":
        return choices.data?.userTypes ?? [];
      case "group":
        return (groups.data ?? []).map((g) => ({ id: g.id, name: g.title }));
      default:
        return [];
    }
  }, [action, choices.data, groups.data]);
  const targetName = options.find((o) => o.id === target)?.name ?? "";
  const run = useMutation({
    mutationFn: () =>
      bulkChange({ kind, target: action?.target ? target : "", usernames: [...usernames] }, setProgress),
    onSettled: async () => {
      setProgress(null);
      await queryClient.invalidateQueries({ queryKey: queryKeys.members, exact: true });
    },
  });
  const cancel = useMutation({ mutationFn: cancelBulk });
  const ready = action?.target === null || target !== "";
  const report = run.data;

  return (
    <aside className="member-panel" aria-label="Change the selected members" data-testid="bulk-panel">
      <calcite-panel
        heading={`Change ${members(usernames.length)}`}
        description={report ? "Finished" : run.isPending ? "Working…" : "Selected in the table"}
        closable={!run.isPending || undefined}
        oncalcitePanelClose={onClose}
      >
        {report ? (
          <BulkResults
            report={report}
            onRetry={(failed) => {
              onSelect(failed);
              run.reset();
            }}
            onClose={onClose}
          />
        ) : (
          <form
            className="bulk-form"
            data-testid="bulk-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (ready && !run.isPending) run.mutate();
            }}
          >
            <FormField label="Change">
              <calcite-select
                label="Change"
                data-testid="bulk-action"
                disabled={run.isPending || undefined}
                oncalciteSelectChange={(e) => {
                  setKind(e.target.value as BulkKind);
                  setTarget("");
                }}
              >
                {ACTIONS.map((a) => (
                  <calcite-option key={a.kind} value={a.kind} selected={a.kind === kind}>
                    {a.label}
                  </calcite-option>
                ))}
              </calcite-select>
            </FormField>
            {action?.target && (
              <FormField label={action.target === "role" ? "Role" : action.target === "group" ? "Group" : "User type"}>
                <calcite-select
                  label={action.target}
                  data-testid="bulk-target"
                  disabled={run.isPending || undefined}
                  oncalciteSelectChange={(e) => { setTarget(e.target.value); }}
                >
                  <calcite-option value="" selected={target === ""}>
                    {`Choose a ${action.target}`}
                  </calcite-option>
                  {options.map((o) => (
                    <calcite-option key={o.id} value={o.id} selected={target === o.id}>
                      {o.name}
                    </calcite-option>
                  ))}
                </calcite-select>
                {(choices.isPending || (action.target === "group" && groups.isPending)) && (
                  <calcite-input-message icon="clock">Reading the organization…</calcite-input-message>
                )}
              </FormField>
            )}
            <p className="bulk-form__summary" data-testid="bulk-summary">
              {ready ? describe(kind, usernames.length, targetName) : `Choose a ${action?.target ?? "change"}.`}
            </p>
            {run.isError && (
              <ErrorNotice error={run.error} testId="bulk-error" title="Nothing was changed" scale="s" />
            )}
            {run.isPending ? (
              <div className="bulk-form__running" data-testid="bulk-progress">
                <calcite-progress
                  type={progress && progress.total > 0 ? "determinate" : "indeterminate"}
                  value={progress && progress.total > 0 ? progress.done / progress.total : 0}
                  label="Bulk change"
                  text={
                    progress
                      ? `${numberFormat.format(progress.done)} of ${members(progress.total)}`
                      : "Starting…"
                  }
                />
                <calcite-button
                  appearance="outline"
                  kind="danger"
                  icon-start="x"
                  data-testid="bulk-cancel"
                  disabled={cancel.isPending || cancel.data === true || undefined}
                  onClick={() => { cancel.mutate(); }}
                >
                  {cancel.data === true ? "Stopping…" : "Cancel"}
                </calcite-button>
              </div>
            ) : (
              <calcite-button
                type="submit"
                icon-start="check"
                data-testid="bulk-apply"
                disabled={!ready || undefined}
                kind={kind === "disable" || kind === "removeFromGroup" ? "danger" : "brand"}
              >
                {`Apply to ${members(usernames.length)}`}
              </calcite-button>
            )}
          </form>
        )}
      </calcite-panel>
    </aside>
  );
}

type Show = "all" | "failed" | "done" | "skipped";

function BulkResults({
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
      {items.length === 0 ? (
        <p className="bulk-results__empty">No member here.</p>
      ) : (
        <ul className="bulk-results__list">
          {items.slice(0, LIST_LIMIT).map((i) => (
            <li key={i.username} data-testid="bulk-result" data-username={i.username} data-outcome={i.outcome}>
              <calcite-icon
                scale="s"
                aria-hidden="true"
                icon={i.outcome === "done" ? "check" : i.outcome === "failed" ? "x-circle" : "minus-circle"}
                className={`bulk-results__icon bulk-results__icon--${i.outcome}`}
              />
              <span className="bulk-results__name">{i.username}</span>
              {i.reason && <span className="bulk-results__reason">{i.reason}</span>}
            </li>
          ))}
        </ul>
      )}
      {items.length > LIST_LIMIT && (
        <p className="bulk-results__empty">{`and ${numberFormat.format(items.length - LIST_LIMIT)} more`}</p>
      )}
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
