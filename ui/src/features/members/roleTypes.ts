// The role / user type compatibility of ArcGIS as Rust computed it: each user type comes with
// the roles it does not allow (`refusedRoles`), so the forms never re-derive the rule. Used by
// the new-member form and the member edit form alike.
import type { Choice } from "../../platform/backend";

/** Why a role does not go with a user type; null when they do or the portal did not say. */
export function incompatibility(role: Choice | undefined, userType: Choice | undefined): string | null {
  if (!role || !userType) return null;
  return userType.refusedRoles.includes(role.id)
    ? `The user type ${userType.name} does not allow the role ${role.name}.`
    : null;
}
