// The members page's filter state: the filters and the sort a person chose, and what they
// show of the cached members (sorted, indexed for text search, filtered as people type), with
// the roles, user types and groups the filter controls offer and how many members each has.
import type { SortingState } from "@tanstack/react-table";
import { useCallback, useMemo, useState } from "react";
import type { GroupSummary, Member } from "../../platform/backend";
import {
  emptyFilter,
  facets,
  groupCounts,
  IncrementalFilter,
  searchIndex,
  sortMembers,
  type MemberFilter,
  type SortKey,
} from "./filter";

/** A value a filter offers, with how many members have it. */
export interface Facet {
  id: string;
  name: string;
  count: number;
}

export interface MemberFacets {
  roles: Facet[];
  userTypes: Facet[];
  /** The groups with how many members each has, and how many members are in none. */
  groups: { list: Facet[]; none: number };
  /** The licenses and bundles the organization bought, with how many members hold each. */
  licenses: Facet[];
}

const BY_USERNAME: SortingState = [{ id: "username", desc: false }];

/**
 * `all`: the cached members; `loadedAt`: when they were read ("not signed in for N days"
 * counts from then, so a filter is a pure function of its inputs); `groupList`: the
 * organization's groups.
 */
export function useMemberFilters(
  all: readonly Member[] | undefined,
  loadedAt: number,
  groupList: readonly GroupSummary[] | undefined,
  licenseNames?: ReadonlyMap<string, string>,
) {
  const [filter, setFilter] = useState<MemberFilter>(emptyFilter);
  const [sorting, setSorting] = useState<SortingState>(BY_USERNAME);
  const sort = sorting[0];
  const sorted = useMemo(
    () =>
      all && sort ? sortMembers(all, { key: sort.id as SortKey, descending: sort.desc }) : (all ?? []),
    [all, sort],
  );
  const index = useMemo(() => searchIndex(sorted), [sorted]);
  const [incremental] = useState(() => new IncrementalFilter());
  const shown = useMemo(
    () => incremental.run(sorted, index, filter, loadedAt),
    [incremental, sorted, index, filter, loadedAt],
  );
  const roles = useMemo(() => facets(all ?? [], (m) => m.roleId, (m) => m.roleName), [all]);
  const userTypes = useMemo(
    () => facets(all ?? [], (m) => m.userType, (m) => m.userTypeName),
    [all],
  );
  const groups = useMemo(() => {
    const counts = groupCounts(all ?? []);
    return {
      none: counts.none,
      list: (groupList ?? []).map((g) => ({ id: g.id, name: g.title, count: counts.byGroup.get(g.id) ?? 0 })),
    };
  }, [all, groupList]);
  const licenses = useMemo(() => {
    const counts = new Map<string, number>();
    for (const m of all ?? []) {
      const products = new Set<string>();
      for (const k of m.licenses) {
        counts.set(k, (counts.get(k) ?? 0) + 1);
        const slash = k.indexOf("/");
        if (!k.startsWith("bundle/") && slash > 0) products.add(`${k.slice(0, slash)}/*`);
      }
      for (const p of products) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    return [...(licenseNames ?? new Map<string, string>())].map(([id, name]) => ({
      id,
      name,
      count: counts.get(id) ?? 0,
    }));
  }, [all, licenseNames]);
  const set = useCallback((patch: Partial<MemberFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
  }, []);
  const clear = useCallback(() => { setFilter(emptyFilter); }, []);
  /** Shows exactly these filters (the others back to every member). */
  const replace = useCallback((patch: Partial<MemberFilter>) => {
    setFilter({ ...emptyFilter, ...patch });
  }, []);
  /** No sort means the default one: by username. */
  const sortBy = useCallback((s: SortingState) => { setSorting(s.length > 0 ? s : BY_USERNAME); }, []);
  const facetsOffered: MemberFacets = useMemo(
    () => ({ roles, userTypes, groups, licenses }),
    [roles, userTypes, groups, licenses],
  );

  return {
    filter,
    /** Changes some of the filters. */
    set,
    /** Back to every member. */
    clear,
    replace,
    /** Whether any filter is set. */
    filtered: JSON.stringify(filter) !== JSON.stringify(emptyFilter),
    sorting,
    sortBy,
    /** The members the filters show, in the order chosen. */
    shown,
    facets: facetsOffered,
  };
}

export type MemberFilters = ReturnType<typeof useMemberFilters>;
