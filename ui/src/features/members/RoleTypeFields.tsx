// The role and user type pair, in the new-member form and the member edit form: user types
// that do not allow the chosen role, or have no seat left, are marked (and cannot be picked),
// and a clash already chosen is named under the field. Seats come from the license picture
// (what the organization bought and its members hold).
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { Choice } from "../../platform/backend";
import { FormField } from "../../components/FormField";
import { licensePictureQuery } from "../../platform/queries";
import { incompatibility } from "./roleTypes";

const numberFormat = new Intl.NumberFormat();

interface Props {
  roles: Choice[];
  userTypes: Choice[];
  /** The role and user type chosen (the form's values). */
  chosen: { roleId: string; userType: string };
  onChange: (patch: { roleId?: string; userType?: string }) => void;
  /** Prefix of the fields' test ids: `<prefix>-role`, `<prefix>-user-type`. */
  testIdPrefix: string;
  /** Marks the user type invalid (after a submit was tried). */
  invalid?: boolean;
  /** The user type the member holds now (it needs no new seat); none for a new member. */
  current?: string;
}

export function RoleTypeFields({ roles, userTypes, chosen, onChange, testIdPrefix, invalid, current }: Props) {
  const { roleId, userType } = chosen;
  const role = roles.find((r) => r.id === roleId);
  const picture = useQuery(licensePictureQuery());
  // Seats left per user type; absent: no limit, or not known.
  const free = useMemo(
    () =>
      new Map(
        (picture.data?.lines ?? [])
          .filter((l) => l.kind === "userType" && l.purchased !== null)
          .map((l) => [l.key, (l.purchased ?? 0) - l.assigned - l.invited]),
      ),
    [picture.data],
  );
  const full = (id: string) => id !== current && (free.get(id) ?? 1) <= 0;
  const chosenType = userTypes.find((t) => t.id === userType);
  const clash =
    incompatibility(role, chosenType) ??
    (chosenType && full(chosenType.id)
      ? `No seat of ${chosenType.name} is left: reclaim one (Licenses) or choose another user type.`
      : null);
  return (
    <>
      <FormField label="Role">
        <calcite-select
          label="Role"
          data-testid={`${testIdPrefix}-role`}
          oncalciteSelectChange={(e) => { onChange({ roleId: e.target.value }); }}
        >
          {roles.map((r) => (
            <calcite-option key={r.id} value={r.id} selected={roleId === r.id}>{r.name}</calcite-option>
          ))}
        </calcite-select>
      </FormField>
      <FormField label="User type" error={clash} messageTestId={`${testIdPrefix}-user-type-problem`}>
        <calcite-select
          label="User type"
          status={invalid || clash ? "invalid" : "idle"}
          data-testid={`${testIdPrefix}-user-type`}
          oncalciteSelectChange={(e) => { onChange({ userType: e.target.value }); }}
        >
          {userTypes.map((t) => {
            const no = incompatibility(role, t);
            const left = free.get(t.id);
            const label = no
              ? `${t.name} (not with this role)`
              : full(t.id)
                ? `${t.name} (no seat left)`
                : left !== undefined && t.id !== current
                  ? `${t.name} (${numberFormat.format(left)} free)`
                  : t.name;
            return (
              <calcite-option
                key={t.id}
                value={t.id}
                selected={userType === t.id}
                disabled={((no !== null || full(t.id)) && userType !== t.id) || undefined}
              >
                {label}
              </calcite-option>
            );
          })}
        </calcite-select>
      </FormField>
    </>
  );
}
