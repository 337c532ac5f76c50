// The members table's rows, read from the Rust side a window at a time: the pages under the
// rows on screen (100 rows each), the counts, and the usernames of every member shown when a
// selection needs them. The organization itself never crosses into the web view.
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import type { Member } from "../../platform/backend";
import { MEMBER_PAGE, matchingUsernamesQuery, queryKeys, memberPageQuery, type MemberQuery } from "../../platform/queries";
import type { PagedRows } from "../../components/DataTable";

/** `wantIds`: read the usernames of every member shown (a selection is being made). */
export function useMemberRows(query: MemberQuery, wantIds: boolean) {
  const queryClient = useQueryClient();
  const [view, setView] = useState({ first: 0, end: 0 });
  // The rows on screen span at most two pages (a page is taller than the window). Each keeps
  // its last answer on screen while the next is read: the rows and counts never blank out as
  // a person types.
  const firstPage = Math.floor(view.first / MEMBER_PAGE);
  const lastPage = Math.max(firstPage, Math.floor((Math.max(view.end, 1) - 1) / MEMBER_PAGE));
  const head = useQuery({ ...memberPageQuery(query, firstPage), placeholderData: keepPreviousData });
  const tail = useQuery({
    ...memberPageQuery(query, lastPage),
    placeholderData: keepPreviousData,
    enabled: lastPage !== firstPage,
  });
  // This query's answer gives the counts and the text whose rows are on screen; until it
  // comes, the last query's. The lower page is drawn only when it answers the same query as
  // the upper one: never rows of two filters at once.
  const shown = head.data;
  const lower = lastPage !== firstPage && tail.data?.key === shown?.key ? tail.data : undefined;
  const answers = useMemo(() => [shown, lower], [shown, lower]);
  const error = head.error ?? tail.error;
  // The usernames in the order of the rows on screen (select all, Shift ranges): those of the
  // query the rows answered, not of one still being read.
  const shownQuery = shown?.query ?? query;
  const ids = useQuery({ ...matchingUsernamesQuery(shownQuery), enabled: wantIds });
  const at = useCallback(
    (index: number): Member | undefined => {
      for (const answer of answers) {
        if (answer && index >= answer.offset && index < answer.offset + answer.rows.length) {
          return answer.rows[index - answer.offset];
        }
      }
      return undefined;
    },
    [answers],
  );
  const onWindow = useCallback((first: number, end: number) => {
    setView((w) => (w.first === first && w.end === end ? w : { first, end }));
  }, []);
  const loadIds = useCallback(
    () => queryClient.query(matchingUsernamesQuery(shownQuery)),
    [queryClient, shownQuery],
  );
  const rows: PagedRows<Member> = useMemo(
    () => ({ count: shown?.matched ?? 0, at, onWindow, ids: ids.data, loadIds }),
    [shown?.matched, at, onWindow, ids.data, loadIds],
  );
  return {
    rows,
    /** Every cached member; undefined until the first answer. */
    total: shown?.total,
    /** The members the filters show. */
    matched: shown?.matched,
    /** The filter text whose rows are on screen. */
    text: shown?.query.filter.text,
    /** Whether the rows on screen are filtered. */
    filtered: shown?.query.filtered ?? false,
    error,
    refetch: () => void queryClient.refetchQueries({ queryKey: [...queryKeys.members, "page"] }),
  };
}
