// A bulk change to the selected members: choose what to do, see what it would do to each
// member (checked locally, nothing sent), go on with the members that can change, watch it run
// (with cancel), then read every member's outcome.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import {
  bulkChange,
  cancelBulk,
  previewBulk,
  type BulkKind,
  type BulkPlan,
  type BulkProgress,
} from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { FormField } from "../../components/FormField";
import { groupsQuery, licenseOffersQuery, memberChoicesQuery } from "../../platform/queries";
import { BulkPreview } from "./BulkPreview";
import { BulkResults } from "./BulkResults";
import "./panel.css";
import { membersChanged } from "./membersChanged";

const numberFormat = new Intl.NumberFormat();

type Target = "role" | "user type" | "group" | "license" | "app bundle";

/** What a person can do to many members at once; `target` names what must be chosen. */
export const ACTIONS: { kind: BulkKind; label: string; target: Target | null }[] = [
  { kind: "setRole", label: "Change role", target: "role" },
  { kind: "setUserType", label: "Change user type", target: "user type" },
  { kind: "disable", label: "Disable", target: null },
  { kind: "enable", label: "Enable", target: null },
  { kind: "addToGroup", label: "Add to group", target: "group" },
  { kind: "removeFromGroup", label: "Remove from group", target: "group" },
  { kind: "assignLicense", label: "Assign a license", target: "license" },
  { kind: "revokeLicense", label: "Revoke a license", target: "license" },
  { kind: "giveBundle", label: "Give an app bundle", target: "app bundle" },
  { kind: "takeBundle", label: "Take an app bundle", target: "app bundle" },
];

function members(n: number): string {
  return `${numberFormat.format(n)} ${n === 1 ? "member" : "members"}`;
}

/** The sentence that says what the change will do. */
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
    case "assignLicense":
      return `Give ${who} the license ${targetName}, keeping what else they hold.`;
    case "revokeLicense":
      return `Take the license ${targetName} from ${who}.`;
    case "giveBundle":
      return `Give ${who} the app bundle ${targetName}.`;
    case "takeBundle":
      return `Take the app bundle ${targetName} from ${who}.`;
  }
}

interface Props {
  usernames: readonly string[];
  onClose: () => void;
  /** Replaces the selection (to retry the failed members). */
  onSelect: (usernames: string[]) => void;
  /** The change to start from (a pasted list's "add to a group"). */
  initial?: { kind: BulkKind; target: string };
}

export function BulkPanel({ usernames, onClose, onSelect, initial }: Props) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<BulkKind>(initial?.kind ?? "setRole");
  const [target, setTarget] = useState(initial?.target ?? "");
  const [progress, setProgress] = useState<BulkProgress | null>(null);
  const action = ACTIONS.find((a) => a.kind === kind) ?? ACTIONS[0];
  const choices = useQuery(memberChoicesQuery());
  const groups = useQuery({ ...groupsQuery(), enabled: action?.target === "group" });
  const offers = useQuery(licenseOffersQuery());
  const options = useMemo(() => {
    switch (action?.target) {
      case "role":
        return choices.data?.roles ?? [];
      case "user type":
        return choices.data?.userTypes ?? [];
      case "group":
        return (groups.data ?? []).map((g) => ({ id: g.id, name: g.title }));
      case "license":
        return (offers.data?.products ?? []).flatMap((p) => [
          ...(kind === "revokeLicense" ? [{ id: `${p.itemId}/*`, name: `Everything of ${p.title}` }] : []),
          ...p.entitlements.map((e) => ({ id: e.key, name: `${e.name} (${p.title})` })),
        ]);
      case "app bundle":
        return (offers.data?.bundles ?? [])
          .filter((b) => b.purchased !== null)
          .map((b) => ({ id: b.key, name: b.name }));
      default:
        return [];
    }
  }, [action, kind, choices.data, groups.data, offers.data]);
  const targetName = options.find((o) => o.id === target)?.name ?? "";
  const request = (names: readonly string[]) => ({
    kind,
    target: action?.target ? target : "",
    usernames: [...names],
  });
  const preview = useMutation({ mutationFn: () => previewBulk(request(usernames)) });
  const run = useMutation({
    mutationFn: (plan: BulkPlan) =>
      bulkChange(
        request(plan.items.filter((i) => i.verdict === "change").map((i) => i.username)),
        setProgress,
      ),
    onSettled: async () => {
      setProgress(null);
      // The rows, the counts and the license picture.
      await membersChanged(queryClient);
    },
  });
  const cancel = useMutation({ mutationFn: cancelBulk });
  const ready = action?.target === null || target !== "";
  const report = run.data;
  const plan = preview.data;
  const changeKind = (k: BulkKind) => {
    setKind(k);
    setTarget("");
    preview.reset();
  };

  return (
    <aside className="member-panel" aria-label="Change the selected members" data-testid="bulk-panel">
      <calcite-panel
        heading={`Change ${members(usernames.length)}`}
        description={
          report ? "Finished" : run.isPending ? "Working…" : plan ? "What would happen" : "Selected in the table"
        }
        closable={!run.isPending || undefined}
        oncalcitePanelClose={onClose}
      >
        {report ? (
          <BulkResults
            report={report}
            onRetry={(failed) => {
              onSelect(failed);
              run.reset();
              preview.reset();
            }}
            onClose={onClose}
          />
        ) : plan ? (
          <div className="bulk-form">
            <p className="bulk-form__summary">{describe(kind, usernames.length, targetName)}</p>
            <BulkPreview plan={plan} />
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
              <div className="bulk-form__actions">
                <calcite-button
                  icon-start="check"
                  data-testid="bulk-apply"
                  disabled={plan.change === 0 || undefined}
                  kind={kind === "disable" || kind === "removeFromGroup" || kind === "revokeLicense" || kind === "takeBundle" ? "danger" : "brand"}
                  onClick={() => { run.mutate(plan); }}
                >
                  {plan.change === usernames.length
                    ? `Apply to ${members(plan.change)}`
                    : `Apply to the ${members(plan.change)} that can change`}
                </calcite-button>
                <calcite-button appearance="outline" kind="neutral" data-testid="bulk-back" onClick={() => { preview.reset(); }}>
                  Back
                </calcite-button>
              </div>
            )}
          </div>
        ) : (
          <form
            className="bulk-form"
            data-testid="bulk-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (ready && !preview.isPending) preview.mutate();
            }}
          >
            <FormField label="Change">
              <calcite-select
                label="Change"
                data-testid="bulk-action"
                oncalciteSelectChange={(e) => { changeKind(e.target.value as BulkKind); }}
              >
                {ACTIONS.map((a) => (
                  <calcite-option key={a.kind} value={a.kind} selected={a.kind === kind}>
                    {a.label}
                  </calcite-option>
                ))}
              </calcite-select>
            </FormField>
            {action?.target && (
              <FormField label={`${action.target.charAt(0).toUpperCase()}${action.target.slice(1)}`}>
                <calcite-select
                  label={action.target}
                  data-testid="bulk-target"
                  oncalciteSelectChange={(e) => { setTarget(e.target.value); }}
                >
                  <calcite-option value="" selected={target === ""}>
                    {`Choose ${action.target === "app bundle" ? "an" : "a"} ${action.target}`}
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
                {(action.target === "license" || action.target === "app bundle") && !offers.isPending && options.length === 0 && (
                  <calcite-input-message icon="information">
                    {`The organization has bought no ${action.target} (or the members were not loaded yet).`}
                  </calcite-input-message>
                )}
              </FormField>
            )}
            <p className="bulk-form__summary" data-testid="bulk-summary">
              {ready ? describe(kind, usernames.length, targetName) : `Choose ${action?.target === "app bundle" ? "an" : "a"} ${action?.target ?? "change"}.`}
            </p>
            {preview.isError && (
              <ErrorNotice error={preview.error} testId="bulk-error" title="The change could not be checked" scale="s" />
            )}
            <calcite-button
              type="submit"
              icon-start="magnifying-glass"
              data-testid="bulk-check"
              loading={preview.isPending || undefined}
              disabled={!ready || undefined}
            >
              Preview
            </calcite-button>
          </form>
        )}
      </calcite-panel>
    </aside>
  );
}
