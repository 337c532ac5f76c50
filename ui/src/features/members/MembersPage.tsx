// The organization's members: loaded once into the local cache (with progress), then
// filtered and sorted on this computer by the Rust side as fast as a person types, the table
// reading only the rows on screen; a side panel shows one member, a bulk change of the
// selection, or a new member.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { VisibilityState } from "@tanstack/react-table";
import { useEffect, useMemo, useState } from "react";
import { exportMembers, loadMembers, type BulkKind, type LoadProgress, type Member, type SessionInfo } from "../../platform/backend";
import { DoneNotice } from "../../app/DoneNotice";
import { ErrorNotice } from "../../app/ErrorNotice";
import { EmptyState } from "../../components/EmptyState";
import { groupsQuery, licenseOffersQuery, matchingUsernamesQuery, queryKeys } from "../../platform/queries";
import { licenseNames } from "../licenses/keys";
import { BulkPanel } from "./BulkPanel";
import { OffboardPanel } from "./OffboardPanel";
import { PasteListPanel } from "./PasteListPanel";
import { exportColumns } from "./exportColumns";
import { CreateMemberPanel } from "./create/CreateMemberPanel";
import { MemberPanel } from "./MemberPanel";
import { MembersTable, defaultVisibility } from "./MembersTable";
import { MembersToolbar } from "./MembersToolbar";
import type { MemberFilter } from "./filter";
import { useMemberFilters } from "./useMemberFilters";
import { useMemberRows } from "./useMemberRows";
import { knownMember, useCachedMember } from "./cachedMember";
import "./members.css";

const numberFormat = new Intl.NumberFormat();

type Panel =
  | { kind: "member"; username: string }
  | { kind: "bulk"; initial?: { kind: BulkKind; target: string } }
  | { kind: "offboard" }
  | { kind: "paste" }
  | { kind: "create" }
  | null;

/** How far a load is: the members listing, the group listings and the license holders, each
 * an equal share of the bar (a part with nothing to read is left out). */
function loadedShare(p: LoadProgress): number {
  const parts = [p.total > 0 ? p.loaded / p.total : 0];
  if (p.groupsTotal > 0) parts.push(p.groupsRead / p.groupsTotal);
  if (p.licensesTotal > 0) parts.push(p.licensesRead / p.licensesTotal);
  return parts.reduce((a, b) => a + b, 0) / parts.length;
}

function loadText(p: LoadProgress): string {
  const parts = [`Loading members: ${numberFormat.format(p.loaded)} of ${numberFormat.format(p.total)}`];
  if (p.groupsTotal > 0) {
    parts.push(`groups ${numberFormat.format(p.groupsRead)} of ${numberFormat.format(p.groupsTotal)}`);
  }
  if (p.licensesTotal > 0) {
    parts.push(`licenses ${numberFormat.format(p.licensesRead)} of ${numberFormat.format(p.licensesTotal)}`);
  }
  return parts.join(" · ");
}

/** Filters another screen asks the members page to show (the Licenses view's "show the
 * holders"); a new `at` applies them again. */
export interface ShowMembers {
  patch: Partial<MemberFilter>;
  at: number;
}

interface Props {
  session: SessionInfo;
  show?: ShowMembers | null;
}

export function MembersPage({ session, show }: Props) {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<LoadProgress | null>(null);
  const load = useMutation({
    mutationFn: () => loadMembers(setProgress),
    onSuccess: async (cache) => {
      queryClient.setQueryData(queryKeys.session, { ...session, cache });
      // The load read the groups and their members too.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.members }),
        queryClient.invalidateQueries({ queryKey: queryKeys.groups }),
      ]);
    },
    onSettled: () => { setProgress(null); },
  });
  const { isIdle, mutate } = load;
  // A portal never loaded on this computer loads at once; afterwards the cache shows at once
  // and a refresh is the person's choice.
  useEffect(() => {
    if (session.cache.loadedAt === null && isIdle) mutate();
  }, [session.cache.loadedAt, isIdle, mutate]);

  const groupList = useQuery(groupsQuery());
  const offers = useQuery(licenseOffersQuery());
  const namesOfLicenses = useMemo(() => licenseNames(offers.data), [offers.data]);
  const filters = useMemberFilters(groupList.data, namesOfLicenses);
  const { clear, replace } = filters;
  useEffect(() => {
    if (show) replace(show.patch);
  }, [show, replace]);
  const [visibility, setVisibility] = useState<VisibilityState>(defaultVisibility);
  // The side panel: one member, the bulk change of the selection, or a new member.
  const [panel, setPanel] = useState<Panel>(null);
  const openedName = panel?.kind === "member" ? panel.username : null;
  // A panel on the selection (a bulk change, offboarding): the rows do not open members.
  const bulkOpen = panel?.kind === "bulk" || panel?.kind === "offboard";
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const shown = useMemberRows(filters.query, selected.size > 0);
  const total = shown.total;
  // What the last deletion or export did, until closed.
  const [notice, setNotice] = useState<string | null>(null);
  const exported = useMutation({
    mutationFn: async () =>
      exportMembers({
        usernames: await queryClient.query(matchingUsernamesQuery(filters.query)),
        columns: exportColumns(visibility),
      }),
    onSuccess: (done) => {
      if (done) {
        setNotice(`${numberFormat.format(done.members)} ${done.members === 1 ? "member" : "members"} exported to ${done.path}.`);
      }
    },
  });
  const opened = useCachedMember(openedName);
  // Undefined until the groups are read (the table then shows counts, not unknown titles).
  const groupTitles = useMemo(
    () => (groupList.data ? new Map(groupList.data.map((g) => [g.id, g.title])) : undefined),
    [groupList.data],
  );

  return (
    // data-filter-text: the text whose result is on screen (tests and bench/ui.sh wait on it).
    <div className="members" data-filter-text={shown.text ?? ""}>
      <MembersToolbar
        filters={filters}
        total={total}
        matched={shown.matched === undefined ? undefined : { count: shown.matched, filtered: shown.filtered }}
        loading={load.isPending}
        loadedAt={session.cache.loadedAt}
        visibility={visibility}
        setVisibility={setVisibility}
        selectedCount={selected.size}
        bulkOpen={bulkOpen}
        onBulk={() => { setPanel({ kind: "bulk" }); }}
        onOffboard={() => { setPanel({ kind: "offboard" }); }}
        onPaste={() => { setPanel({ kind: "paste" }); }}
        onClearSelection={() => { setSelected(new Set()); }}
        onCreate={() => { setPanel({ kind: "create" }); }}
        onRefresh={() => { load.mutate(); }}
        onExport={total !== undefined && total > 0 ? () => { setNotice(null); exported.mutate(); } : undefined}
        exporting={exported.isPending}
      />
      {exported.isError && (
        <ErrorNotice error={exported.error} testId="members-export-error" title="The members could not be exported" scale="s" />
      )}

      {load.isPending && (
        <div className="members__progress" data-testid="members-loading">
          <calcite-progress
            type={progress && progress.total > 0 ? "determinate" : "indeterminate"}
            value={progress ? loadedShare(progress) : 0}
            label="Loading members"
            text={progress ? loadText(progress) : "Loading members…"}
          />
        </div>
      )}

      <DoneNotice message={notice} testId="members-deleted" onClose={() => { setNotice(null); }} />

      <div className="members__body">
        <MembersTable
          rows={shown.rows}
          sorting={filters.sorting}
          onSortingChange={filters.sortBy}
          visibility={visibility}
          onOpen={(m: Member) => {
            if (bulkOpen) return;
            // The row drawn is the member as the cache holds it: the panel opens at once.
            knownMember(queryClient, m);
            setPanel({ kind: "member", username: m.username });
          }}
          selected={selected}
          onSelectedChange={setSelected}
          groupTitles={groupTitles}
          licenseNames={namesOfLicenses}
          error={
            <>
              {load.isError && (
                <ErrorNotice
                  error={load.error}
                  testId="members-error"
                  title="The members could not be loaded"
                  onRetry={() => { load.mutate(); }}
                />
              )}
              {shown.error && (
                <ErrorNotice
                  error={shown.error}
                  testId="members-error"
                  title="The members could not be loaded"
                  onRetry={shown.refetch}
                />
              )}
            </>
          }
          empty={
            total !== undefined && total > 0 ? (
              <EmptyState icon="search" testId="members-empty">
                <p>No member matches these filters.</p>
                <calcite-button appearance="outline" onClick={clear}>
                  Clear filters
                </calcite-button>
              </EmptyState>
            ) : total === 0 && !load.isPending ? (
              <EmptyState icon="users" testId="members-none">
                <p>No members are cached for this portal yet.</p>
                <calcite-button onClick={() => { load.mutate(); }}>Load members</calcite-button>
              </EmptyState>
            ) : null
          }
        />
        {panel?.kind === "offboard" && (
          <OffboardPanel
            usernames={[...selected]}
            onClose={() => { setPanel(null); }}
            onSelect={(names) => { setSelected(new Set(names)); }}
          />
        )}
        {panel?.kind === "paste" && (
          <PasteListPanel
            onClose={() => { setPanel(null); }}
            onSelect={(names) => { setSelected(new Set(names)); }}
            onAddToGroup={(names, group) => {
              setSelected(new Set(names));
              setPanel({ kind: "bulk", initial: { kind: "addToGroup", target: group } });
            }}
          />
        )}
        {panel?.kind === "bulk" && (
          <BulkPanel
            key={panel.initial ? `${panel.initial.kind}:${panel.initial.target}` : "bulk"}
            initial={panel.initial}
            usernames={[...selected]}
            onClose={() => { setPanel(null); }}
            onSelect={(names) => { setSelected(new Set(names)); }}
          />
        )}
        {panel?.kind === "create" && (
          <CreateMemberPanel
            portalKind={session.kind}
            onClose={() => { setPanel(null); }}
            onCreated={(m) => { setPanel({ kind: "member", username: m.username }); }}
          />
        )}
        {opened && opened.username.toLowerCase() === openedName?.toLowerCase() && (
          <MemberPanel
            key={opened.username}
            member={opened}
            signedIn={session.username}
            onClose={() => { setPanel(null); }}
            onDeleted={(username, receiver) => {
              setPanel(null);
              setSelected((s) => {
                const next = new Set(s);
                next.delete(username);
                return next;
              });
              setNotice(receiver ? `${username} was deleted; their content and groups went to ${receiver}.` : `${username} was deleted.`);
            }}
          />
        )}
      </div>
    </div>
  );
}
