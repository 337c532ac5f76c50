// Typed query-option factories: the only way screens read server state.
import { queryOptions } from "@tanstack/react-query";
import { getAppInfo } from "./backend";

export const queryKeys = {
  appInfo: ["app", "info"] as const,
};

export const appInfoQuery = () =>
  queryOptions({
    queryKey: queryKeys.appInfo,
    queryFn: getAppInfo,
    staleTime: Infinity,
  });
