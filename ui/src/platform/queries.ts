// Typed query-option factories: the only way screens read server state.
import { queryOptions } from "@tanstack/react-query";
import { getAppInfo, getMembers, getSession } from "./backend";

export const queryKeys = {
  appInfo: ["app", "info"] as const,
  session: ["session"] as const,
  members: ["members"] as const,
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

/** The cached members: they change only when a load or an edit says so (by invalidation). */
export const membersQuery = () =>
  queryOptions({
    queryKey: queryKeys.members,
    queryFn: getMembers,
    staleTime: Infinity,
  });
