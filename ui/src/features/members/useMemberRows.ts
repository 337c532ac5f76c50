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
  // comes, the last query's.
  const shown = head.data;
  const answers = useMemo(() => [head.data, lastPage !== firstPage ? tail.data : undefined], [head.data, tail.data, firstPage, lastPage]);
  const error = head.error ?? tail.error;
  const ids = useQuery({ ...matchingUsernamesQuery(query), enabled: wantIds });
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
    () => queryClient.query(matchingUsernamesQuery(query)),
    [queryClient, query],
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
    text: shown?.text,
    /** Whether the rows on screen are filtered. */
    filtered: shown?.filtered ?? false,
    error,
    refetch: () => void queryClient.refetchQueries({ queryKey: [...queryKeys.members, "page"] }),
  };
}
