// The role and user type pair, in the new-member form and the member edit form: user types
// that do not allow the chosen role are marked (and cannot be picked), and a clash already
// chosen is named under the field.
import type { Choice } from "../../platform/backend";
import { incompatibility } from "./roleTypes";

interface Props {
  roles: Choice[];
  userTypes: Choice[];
  roleId: string;
  userType: string;
  onChange: (patch: { roleId?: string; userType?: string }) => void;
  /** Prefix of the fields' test ids: `<prefix>-role`, `<prefix>-user-type`. */
  testIdPrefix: string;
  /** Marks the user type invalid (after a submit was tried). */
  invalid?: boolean;
}

export function RoleTypeFields({ roles, userTypes, roleId, userType, onChange, testIdPrefix, invalid }: Props) {
  const role = roles.find((r) => r.id === roleId);
  const clash = incompatibility(role, userTypes.find((t) => t.id === userType));
  return (
    <>
      <calcite-label>
        Role
        <calcite-select
          label="Role"
          data-testid={`${testIdPrefix}-role`}
          oncalciteSelectChange={(e) => { onChange({ roleId: e.target.value }); }}
        >
          {roles.map((r) => (
            <calcite-option key={r.id} value={r.id} selected={roleId === r.id}>{r.name}</calcite-option>
          ))}
        </calcite-select>
      </calcite-label>
      <calcite-label>
        User type
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
        {clash && (
          <calcite-input-message status="invalid" data-testid={`${testIdPrefix}-user-type-problem`}>
            {clash}
          </calcite-input-message>
        )}
      </calcite-label>
    </>
  );
}
