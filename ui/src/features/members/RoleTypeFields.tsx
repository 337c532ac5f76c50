// The role and user type pair, in the new-member form and the member edit form: user types
// that do not allow the chosen role are marked (and cannot be picked), and a clash already
// chosen is named under the field.
import type { Choice } from "../../platform/backend";
import { FormField } from "../../components/FormField";
import { incompatibility } from "./roleTypes";

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
}

export function RoleTypeFields({ roles, userTypes, chosen, onChange, testIdPrefix, invalid }: Props) {
  const { roleId, userType } = chosen;
  const role = roles.find((r) => r.id === roleId);
  const clash = incompatibility(role, userTypes.find((t) => t.id === userType));
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
            return (
              <calcite-option
                key={t.id}
                value={t.id}
                selected={userType === t.id}
                disabled={(no !== null && userType !== t.id) || undefined}
              >
                {no ? `${t.name} (not with this role)` : t.name}
              </calcite-option>
            );
          })}
        </calcite-select>
      </FormField>
    </>
  );
}
