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
  getMember,
  getMemberFacets,
  getMemberPage,
  getMatchingUsernames,
  matchList,
  getProfiles,
  getSession,
  type HistoryFilter,
  type MemberFilter,
  type MemberSort,
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

/** Who the members table shows, as the Rust side filters and sorts them. */
export interface MemberQuery {
  filter: MemberFilter;
  sort: MemberSort;
  /** Whether any filter is set (the count then says "N of M"). */
  filtered: boolean;
}

/** How many rows one read of the members table brings. */
export const MEMBER_PAGE = 100;

/** One window of the members a query shows, with the text it answered (the page marks the
 * text whose rows are on screen). The Rust side answers in a millisecond or two, so windows
 * no longer on screen are dropped after 5 s rather than kept (docs/memory.md). */
export const memberPageQuery = (query: MemberQuery, page: number) =>
  queryOptions({
    queryKey: [...queryKeys.members, "page", query, page] as const,
    queryFn: async () => ({
      ...(await getMemberPage(query.filter, query.sort, page * MEMBER_PAGE, MEMBER_PAGE)),
      // The query it answered: while the next is read, the rows on screen are this one's.
      query,
      key: JSON.stringify(query),
    }),
    staleTime: Infinity,
    gcTime: 5_000,
  });

/** The usernames of every member a query shows, in its order (select all, Shift ranges,
 * export). */
export const matchingUsernamesQuery = (query: MemberQuery) =>
  queryOptions({
    queryKey: [...queryKeys.members, "usernames", query] as const,
    queryFn: () => getMatchingUsernames(query.filter, query.sort),
    staleTime: Infinity,
    gcTime: 5_000,
  });

/** How many members have each role, user type, group and license. */
export const memberFacetsQuery = () =>
  queryOptions({
    queryKey: [...queryKeys.members, "facets"] as const,
    queryFn: getMemberFacets,
    staleTime: Infinity,
  });

/** The cached members a pasted list names (the entries as parsed, in order). */
export const listMatchQuery = (entries: readonly string[]) =>
  queryOptions({
    queryKey: [...queryKeys.members, "list", entries] as const,
    queryFn: () => matchList([...entries]),
    staleTime: Infinity,
    gcTime: 5_000,
  });

/** One cached member (the member panel). */
export const memberQuery = (username: string) =>
  queryOptions({
    queryKey: [...queryKeys.members, "one", username] as const,
    queryFn: () => getMember(username),
    staleTime: Infinity,
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
