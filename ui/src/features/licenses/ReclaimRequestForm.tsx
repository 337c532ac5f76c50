// Step 1 of a reclaim: who counts as idle (days without a sign-in, and those who never signed
// in), which user types go down and to what (with the role to give where the lower type needs
// one), and which licenses and bundles are taken back.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Choice, SeatLine } from "../../platform/backend";
import { FormField } from "../../components/FormField";
import { memberChoicesQuery } from "../../platform/queries";
import { formProblem, type ReclaimForm } from "./reclaim";
import { count, groupLines } from "./seats";

const DAY_CHOICES = [30, 90, 180, 365] as const;
const OTHER = "other";

/** The role offered by default where the lower type refuses the member's: Viewer if allowed. */
function defaultRole(roles: readonly Choice[], target: Choice | undefined): string {
  const allowed = roles.filter((r) => !target?.refusedRoles.includes(r.id));
  return (allowed.find((r) => r.name === "Viewer") ?? allowed.find((r) => r.baseRole === "org_user"))?.id ?? "";
}

function toggle(list: readonly string[], value: string, on: boolean): string[] {
  return on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);
}

interface Props {
  lines: readonly SeatLine[];
  form: ReclaimForm;
  onChange: (form: ReclaimForm) => void;
  onPreview: () => void;
  busy: boolean;
}

export function ReclaimRequestForm({ lines, form, onChange, onPreview, busy }: Props) {
  const choices = useQuery(memberChoicesQuery());
  const [otherDays, setOtherDays] = useState(!DAY_CHOICES.some((d) => d === form.days));
  const paidTypes = useMemo(() => lines.filter((l) => l.kind === "userType" && l.purchased !== null), [lines]);
  const revocable = useMemo(() => groupLines(lines.filter((l) => l.kind !== "userType")), [lines]);
  const userTypes = choices.data?.userTypes ?? [];
  const roles = choices.data?.roles ?? [];
  const target = userTypes.find((t) => t.id === form.downgradeTo);
  const problem = formProblem(form);
  const set = (patch: Partial<ReclaimForm>) => { onChange({ ...form, ...patch }); };

  return (
    <form
      className="reclaim-form"
      data-testid="reclaim-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (problem === null && !busy) onPreview();
      }}
    >
      <FormField label="Not signed in for">
        <calcite-select
          label="Not signed in for"
          data-testid="reclaim-days"
          oncalciteSelectChange={(e) => {
            const v = e.target.value;
            setOtherDays(v === OTHER);
            if (v !== OTHER) set({ days: Number(v) });
          }}
        >
          {DAY_CHOICES.map((d) => (
            <calcite-option key={d} value={String(d)} selected={!otherDays && form.days === d}>
              {`${d} days or more`}
            </calcite-option>
          ))}
          <calcite-option value={OTHER} selected={otherDays}>
            Another number of days…
          </calcite-option>
        </calcite-select>
        {otherDays && (
          <calcite-input
            type="number"
            min={1}
            step={1}
            label="Days"
            suffix-text="days"
            data-testid="reclaim-days-custom"
            value={String(form.days)}
            oncalciteInputInput={(e) => { set({ days: Number(e.target.value) }); }}
          />
        )}
      </FormField>
      <label className="reclaim-check">
        <input
          type="checkbox"
          data-testid="reclaim-never"
          checked={form.includeNever}
          onChange={(e) => { set({ includeNever: e.target.checked }); }}
        />
        {`Also members who never signed in (created more than ${count(form.days || 0)} days ago)`}
      </label>

      <fieldset className="reclaim-fieldset">
        <legend>Downgrade these user types</legend>
        {paidTypes.length === 0 && <p className="reclaim-note">No user type has a seat limit.</p>}
        {paidTypes.map((l) => (
          <label key={l.key} className="reclaim-check">
            <input
              type="checkbox"
              data-testid="reclaim-from"
              data-key={l.key}
              checked={form.userTypes.includes(l.key)}
              onChange={(e) => { set({ userTypes: toggle(form.userTypes, l.key, e.target.checked) }); }}
            />
            {l.name}
            <span className="reclaim-note">{`${count(l.assigned)} of ${count(l.purchased ?? 0)} assigned`}</span>
          </label>
        ))}
        <FormField label="To">
          <calcite-select
            label="Downgrade to"
            data-testid="reclaim-to"
            oncalciteSelectChange={(e) => {
              const id = e.target.value;
              set({ downgradeTo: id, downgradeRole: defaultRole(roles, userTypes.find((t) => t.id === id)) });
            }}
          >
            <calcite-option value="" selected={form.downgradeTo === ""}>
              Keep the user type
            </calcite-option>
            {userTypes.map((t) => (
              <calcite-option key={t.id} value={t.id} selected={form.downgradeTo === t.id}>
                {t.name}
              </calcite-option>
            ))}
          </calcite-select>
          {choices.isPending && <calcite-input-message icon="clock">Reading the organization…</calcite-input-message>}
        </FormField>
        {target && target.refusedRoles.length > 0 && (
          <FormField
            label="Role to give where the lower type needs it"
            help={`${target.name} does not allow some roles; members holding one get this role first.`}
          >
            <calcite-select
              label="Role to give"
              data-testid="reclaim-role"
              oncalciteSelectChange={(e) => { set({ downgradeRole: e.target.value }); }}
            >
              <calcite-option value="" selected={form.downgradeRole === ""}>
                None: leave those members as they are
              </calcite-option>
              {roles
                .filter((r) => !target.refusedRoles.includes(r.id))
                .map((r) => (
                  <calcite-option key={r.id} value={r.id} selected={form.downgradeRole === r.id}>
                    {r.name}
                  </calcite-option>
                ))}
            </calcite-select>
          </FormField>
        )}
      </fieldset>

      {revocable.map((g) => (
        <fieldset key={g.group} className="reclaim-fieldset">
          <legend>{`Revoke: ${g.group}`}</legend>
          {g.lines.map((l) => (
            <label key={l.key} className="reclaim-check">
              <input
                type="checkbox"
                data-testid="reclaim-license"
                data-key={l.key}
                checked={form.licenses.includes(l.key)}
                onChange={(e) => { set({ licenses: toggle(form.licenses, l.key, e.target.checked) }); }}
              />
              {l.name}
              <span className="reclaim-note">{`${count(l.assigned)} held`}</span>
            </label>
          ))}
        </fieldset>
      ))}

      <p className="reclaim-note" data-testid="reclaim-form-problem">{problem ?? "Nothing is sent before you run it."}</p>
      <calcite-button
        type="submit"
        icon-start="list-check"
        data-testid="reclaim-preview"
        disabled={problem !== null || busy || undefined}
        loading={busy || undefined}
      >
        Preview
      </calcite-button>
    </form>
  );
}
