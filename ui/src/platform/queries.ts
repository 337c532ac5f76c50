// Typed query-option factories: the only way screens read server state.
import { queryOptions } from "@tanstack/react-query";
import {
  getAppInfo,
  getDeleteSummary,
  getMemberDetails,
  getGroupMembers,
  getGroupRows,
  getGroups,
  getHistory,
  getInvitations,
  getJobs,
  resumableJobs,
  getLicenseOffers,
  getLicensePicture,
  getMemberChoices,
  getMembers,
  getProfiles,
  getSession,
  type HistoryFilter,
} from "./backend";

export const queryKeys = {
  appInfo: ["app", "info"] as const,
  session: ["session"] as const,
  members: ["members"] as const,
  memberChoices: ["members", "choices"] as const,
  groups: ["groups"] as const,
  invitations: ["invitations"] as const,
  history: ["history"] as const,
  profiles: ["profiles"] as const,
  update: ["app", "update"] as const,
  updateSettings: ["app", "update", "settings"] as const,
};

export const appInfoQuery = () =>
  queryOptions({
    queryKey: queryKeys.appInfo,
    queryFn: getAppInfo,
    staleTime: Infinity,
  });

export const sessionQuery = () =>
  queryOptions({
    queryKey: queryKeys.session,
    queryFn: getSession,
    staleTime: Infinity,
  });

/** The cached members: they change only when a load or an edit says so (by invalidation).
 * No structural sharing: comparing 100,000 rows deeply with the last answer on every refetch
 * costs more than it saves. */
export const membersQuery = () =>
  queryOptions({
    queryKey: queryKeys.members,
    queryFn: getMembers,
    staleTime: Infinity,
    structuralSharing: false,
  });

/** The roles and user types of the organization (for the edit form). */
export const memberChoicesQuery = () =>
  queryOptions({
    queryKey: queryKeys.memberChoices,
    queryFn: getMemberChoices,
    staleTime: 5 * 60_000,
  });

/** The organization's groups (to pick one for a bulk change). */
export const groupsQuery = () =>
  queryOptions({
    queryKey: queryKeys.groups,
    queryFn: () => getGroups(),
    staleTime: 5 * 60_000,
  });

/** The organization's open invitations (read again on every visit). */
export const invitationsQuery = () =>
  queryOptions({
    queryKey: queryKeys.invitations,
    queryFn: getInvitations,
    staleTime: 0,
  });

/** The saved portal profiles (for the sign-in screen). */
export const profilesQuery = () =>
  queryOptions({
    queryKey: queryKeys.profiles,
    queryFn: getProfiles,
    staleTime: 0,
  });

/** The groups with member counts (the groups view). Under `groups`: invalidating the groups
 * invalidates these too. */
export const groupRowsQuery = () =>
  queryOptions({
    queryKey: [...queryKeys.groups, "rows"] as const,
    queryFn: () => getGroupRows(),
    staleTime: 60_000,
  });

/** One group's members. */
export const groupMembersQuery = (id: string) =>
  queryOptions({
    queryKey: [...queryKeys.groups, "members", id] as const,
    queryFn: () => getGroupMembers(id),
    staleTime: 0,
  });

/** A member's groups and open group invitations (the member panel). Under `members`: a load
 * or an edit invalidates it too. */
export const memberDetailsQuery = (username: string) =>
  queryOptions({
    queryKey: [...queryKeys.members, "details", username] as const,
    queryFn: () => getMemberDetails(username),
    staleTime: 0,
  });

/** What deleting a member would affect, read when the deletion is being considered. */
export const deleteSummaryQuery = (username: string) =>
  queryOptions({
    queryKey: [...queryKeys.members, "delete-summary", username] as const,
    queryFn: () => getDeleteSummary(username),
    staleTime: 0,
  });

/** The Licenses view's picture. Under `members`: a load, an edit or a bulk change that
 * invalidates the members' queries invalidates it too (it is counted from the rows). */
export const licensePictureQuery = () =>
  queryOptions({
    queryKey: [...queryKeys.members, "licenses", "picture"] as const,
    queryFn: getLicensePicture,
    staleTime: 0,
  });

/** What the organization bought: names of licenses and bundles, which user types may hold
 * them, seats. Read again with every load. */
export const licenseOffersQuery = () =>
  queryOptions({
    queryKey: [...queryKeys.members, "licenses", "offers"] as const,
    queryFn: getLicenseOffers,
    staleTime: Infinity,
  });

/** The jobs the journal recorded on this portal (read again on every visit). */
export const jobsQuery = () =>
  queryOptions({
    queryKey: [...queryKeys.history, "jobs"] as const,
    queryFn: () => getJobs(200),
  });

/** The jobs cut off with changes of unknown outcome: the app offers to resume them. */
export const resumableQuery = () =>
  queryOptions({
    queryKey: [...queryKeys.history, "resumable"] as const,
    queryFn: resumableJobs,
  });

/** The recorded changes that match a filter (read again on every visit). */
export const historyQuery = (filter: HistoryFilter) =>
  queryOptions({
    queryKey: [...queryKeys.history, "changes", filter] as const,
    queryFn: () => getHistory(filter),
  });
