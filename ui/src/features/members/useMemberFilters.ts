// The members page's filter state: the filters and the sort a person chose, the query they
// make for the Rust side (which filters and sorts the cached members), and the roles, user
// types, groups and licenses the filter controls offer with how many members each has.
import type { SortingState } from "@tanstack/react-table";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import type { GroupSummary } from "../../platform/backend";
import { memberFacetsQuery } from "../../platform/queries";
import { emptyFilter, toQuery, type MemberFilter } from "./filter";

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
 * `groupList`: the organization's groups; `licenseNames`: license key -> name of what the
 * organization bought.
 */
export function useMemberFilters(
  groupList: readonly GroupSummary[] | undefined,
  licenseNames?: ReadonlyMap<string, string>,
) {
  const [filter, setFilter] = useState<MemberFilter>(emptyFilter);
  const [sorting, setSorting] = useState<SortingState>(BY_USERNAME);
  const facets = useQuery(memberFacetsQuery());
  const counts = facets.data;
  // "Not signed in for N days" counts from when the cached members were last read (as the
  // facets were), so a query stays the same, and cached, while the members do.
  const query = useMemo(() => toQuery(filter, sorting, facets.dataUpdatedAt), [filter, sorting, facets.dataUpdatedAt]);
  const facetsOffered: MemberFacets = useMemo(() => {
    const byGroup = new Map((counts?.groups ?? []).map((g) => [g.id, g.count]));
    const byLicense = new Map((counts?.licenses ?? []).map((l) => [l.id, l.count]));
    return {
      roles: counts?.roles ?? [],
      userTypes: counts?.userTypes ?? [],
      groups: {
        none: counts?.noGroup ?? 0,
        list: (groupList ?? []).map((g) => ({ id: g.id, name: g.title, count: byGroup.get(g.id) ?? 0 })),
      },
      licenses: [...(licenseNames ?? new Map<string, string>())].map(([id, name]) => ({
        id,
        name,
        count: byLicense.get(id) ?? 0,
      })),
    };
  }, [counts, groupList, licenseNames]);

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
    /** What the Rust side is asked for. */
    query,
    facets: facetsOffered,
  };
}

export type MemberFilters = ReturnType<typeof useMemberFilters>;
