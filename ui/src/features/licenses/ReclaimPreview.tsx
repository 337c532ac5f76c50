// Step 2 of a reclaim: who it would touch (each kept by default, any can be left out), what
// each would lose, and the seats that would come back per line. Nothing has been sent yet.
// At most LIST_LIMIT members are drawn (a plan on 100,000 members can hold thousands); the
// counts and the job always cover every member kept.
import { memo, useCallback, useMemo, type Dispatch, type SetStateAction } from "react";
import type { ReclaimItem, ReclaimPlan } from "../../platform/backend";
import { actionable, keptFreed } from "./reclaim";
import { count } from "./seats";

const LIST_LIMIT = 500;
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

interface Props {
  plan: ReclaimPlan;
  /** Names of licenses and bundles (from the picture) and roles, by key or id. */
  names: ReadonlyMap<string, string>;
  /** The user type members go down to, by name; null when types are kept. */
  targetName: string | null;
  dropped: ReadonlySet<string>;
  onDroppedChange: Dispatch<SetStateAction<ReadonlySet<string>>>;
  onRun: () => void;
  onBack: () => void;
}

export function ReclaimPreview({ plan, names, targetName, dropped, onDroppedChange, onRun, onBack }: Props) {
  const doable = useMemo(() => plan.items.filter(actionable), [plan]);
  const kept = doable.filter((i) => !dropped.has(i.username)).length;
  const freed = useMemo(() => keptFreed(plan, dropped), [plan, dropped]);
  // Stable, so that checking one box redraws only its row.
  const setKept = useCallback(
    (username: string, keep: boolean) => {
      onDroppedChange((prev) => {
        const next = new Set(prev);
        if (keep) next.delete(username);
        else next.add(username);
        return next;
      });
    },
    [onDroppedChange],
  );

  return (
    <div className="reclaim-preview" data-testid="reclaim-plan">
      <p className="reclaim-summary" data-testid="reclaim-plan-summary" aria-live="polite">
        {plan.items.length === 0
          ? "No member matches: nothing would be reclaimed."
          : `${count(kept)} of ${count(doable.length)} members kept` +
            (plan.items.length > doable.length ? `; ${count(plan.items.length - doable.length)} cannot be reclaimed` : "")}
      </p>
      {freed.length > 0 && (
        <section aria-label="Seats that would come back">
          <h3 className="reclaim-heading">Seats that would come back</h3>
          <ul className="reclaim-freed" data-testid="reclaim-freed">
            {freed.map((f) => (
              <li key={f.key} data-testid="reclaim-freed-line" data-key={f.key} data-count={f.count}>
                <span>{f.name}</span>
                <strong>{count(f.count)}</strong>
              </li>
            ))}
          </ul>
        </section>
      )}
      {plan.items.length > 0 && (
        <div className="reclaim-keep-all">
          <calcite-button appearance="transparent" scale="s" data-testid="reclaim-keep-all" onClick={() => { onDroppedChange(new Set()); }}>
            Keep all
          </calcite-button>
          <calcite-button
            appearance="transparent"
            scale="s"
            data-testid="reclaim-keep-none"
            onClick={() => { onDroppedChange(new Set(doable.map((i) => i.username))); }}
          >
            Keep none
          </calcite-button>
        </div>
      )}
      <ul className="reclaim-items" aria-label="Members to reclaim from">
        {plan.items.slice(0, LIST_LIMIT).map((item) => (
          <PlanRow
            key={item.username}
            item={item}
            names={names}
            targetName={targetName}
            kept={!dropped.has(item.username)}
            onKept={setKept}
          />
        ))}
      </ul>
      {plan.items.length > LIST_LIMIT && (
        <p className="reclaim-note" data-testid="reclaim-more">
          {`and ${count(plan.items.length - LIST_LIMIT)} more (kept; Keep none leaves them all out)`}
        </p>
      )}
      <div className="reclaim-buttons">
        <calcite-button appearance="outline" icon-start="chevron-left" data-testid="reclaim-back" onClick={onBack}>
          Back
        </calcite-button>
        <calcite-button kind="danger" icon-start="undo" data-testid="reclaim-run" disabled={kept === 0 || undefined} onClick={onRun}>
          {`Reclaim from ${count(kept)} ${kept === 1 ? "member" : "members"}`}
        </calcite-button>
      </div>
    </div>
  );
}

interface RowProps {
  item: ReclaimItem;
  names: ReadonlyMap<string, string>;
  targetName: string | null;
  kept: boolean;
  onKept: (username: string, keep: boolean) => void;
}

/** One member: memoized, so checking one box redraws one row of the 500. */
const PlanRow = memo(function PlanRow({ item, names, targetName, kept, onKept }: RowProps) {
  const can = actionable(item);
  const revoked = item.revoke.map((k) => names.get(k) ?? k).join(", ");
  return (
    <li className="reclaim-item" data-testid="reclaim-item" data-username={item.username} data-kept={can && kept}>
      <input
        type="checkbox"
        data-testid="reclaim-keep"
        aria-label={`Reclaim from ${item.username}`}
        checked={can && kept}
        disabled={!can}
        onChange={(e) => { onKept(item.username, e.target.checked); }}
      />
      <div className="reclaim-item__who">
        <span className="reclaim-item__name">{item.fullName || item.username}</span>
        <span className="reclaim-note">{item.username}</span>
        <span className="reclaim-note">
          {item.lastLogin === null ? "Never signed in" : `Last signed in ${dateFormat.format(item.lastLogin)}`}
        </span>
      </div>
      <div className="reclaim-item__what">
        {revoked && <span data-testid="reclaim-item-revoke">{`Revoke ${revoked}`}</span>}
        <span data-testid="reclaim-item-downgrade">
          {item.downgrade ? `${item.userTypeName} → ${targetName ?? "lower type"}` : `Keeps ${item.userTypeName}`}
        </span>
        {item.newRole && <span className="reclaim-note">{`Role first: ${names.get(item.newRole) ?? item.newRole}`}</span>}
        {item.problem && (
          <span className="reclaim-item__problem" data-testid="reclaim-item-problem">{item.problem}</span>
        )}
      </div>
    </li>
  );
});
