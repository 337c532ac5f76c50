// The role / user type compatibility rule of ArcGIS (the portal's own): a user type allows
// roles up to its `maxRole`. Used by the new-member form and the member edit form alike.
import type { Choice } from "../../platform/backend";

/** The Viewer role's id, the same in every ArcGIS organization. */
export const VIEWER_ROLE_ID = "iAAAAAAAAAAAAAAA";

const RANK: Record<string, number> = { org_user: 1, org_publisher: 2, org_admin: 3 };

/** Why a role does not go with a user type; null when they do or the portal did not say. */
export function incompatibility(role: Choice | undefined, userType: Choice | undefined): string | null {
  const max = userType?.maxRole;
  if (!role || !userType || !max) return null;
  let fits: boolean;
  if (max === "viewer") fits = role.id === VIEWER_ROLE_ID;
  else if (role.baseRole === null) return null;
  else fits = (RANK[role.baseRole] ?? 1) <= (RANK[max] ?? 3);
  return fits ? null : `The user type ${userType.name} does not allow the role ${role.name}.`;
}
