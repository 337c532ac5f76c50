// The organization's members: loaded once into the local cache (with progress), then
// filtered and sorted on this computer as fast as a person types; a side panel shows one
// member, a bulk change of the selection, or a new member.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { VisibilityState } from "@tanstack/react-table";
import { useEffect, useMemo, useState } from "react";
import { loadMembers, type LoadProgress, type Member, type SessionInfo } from "../../platform/backend";
import { DoneNotice } from "../../app/DoneNotice";
import { ErrorNotice } from "../../app/ErrorNotice";
import { EmptyState } from "../../components/EmptyState";
import { groupsQuery, membersQuery, queryKeys } from "../../platform/queries";
import { BulkPanel } from "./BulkPanel";
import { CreateMemberPanel } from "./create/CreateMemberPanel";
import { MemberPanel } from "./MemberPanel";
import { MembersTable, defaultVisibility } from "./MembersTable";
import { MembersToolbar } from "./MembersToolbar";
import { useMemberFilters } from "./useMemberFilters";
import "./members.css";

const numberFormat = new Intl.NumberFormat();

type Panel = { kind: "member"; username: string } | { kind: "bulk" } | { kind: "create" } | null;

/** How far a load is: the members listing and the group listings, each half the bar. */
function loadedShare(p: LoadProgress): number {
  const members = p.total > 0 ? p.loaded / p.total : 0;
  if (p.groupsTotal === 0) return members;
  return (members + p.groupsRead / p.groupsTotal) / 2;
}

function loadText(p: LoadProgress): string {
  const members = `Loading members: ${numberFormat.format(p.loaded)} of ${numberFormat.format(p.total)}`;
  return p.groupsTotal === 0
    ? members
    : `${members} · groups ${numberFormat.format(p.groupsRead)} of ${numberFormat.format(p.groupsTotal)}`;
}

interface Props {
  session: SessionInfo;
}

export function MembersPage({ session }: Props) {
  const queryClient = useQueryClient();
  const members = useQuery(membersQuery());
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

  const all = members.data;
  const groupList = useQuery(groupsQuery());
  const filters = useMemberFilters(all, members.dataUpdatedAt, groupList.data);
  const { shown, clear } = filters;
  const [visibility, setVisibility] = useState<VisibilityState>(defaultVisibility);
  // The side panel: one member, the bulk change of the selection, or a new member.
  const [panel, setPanel] = useState<Panel>(null);
  const openedName = panel?.kind === "member" ? panel.username : null;
  const bulkOpen = panel?.kind === "bulk";
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  // What the last deletion did, until closed.
  const [deleted, setDeleted] = useState<string | null>(null);
  const opened = useMemo(
    () => (openedName === null ? undefined : all?.find((m) => m.username === openedName)),
    [all, openedName],
  );
  const groupTitles = useMemo(
    () => new Map((groupList.data ?? []).map((g) => [g.id, g.title])),
    [groupList.data],
  );

  return (
    // data-filter-text: the text whose result is on screen (tests and bench/ui.sh wait on it).
    <div className="members" data-filter-text={filters.filter.text}>
      <MembersToolbar
        filters={filters}
        total={all?.length}
        loading={load.isPending}
        loadedAt={session.cache.loadedAt}
        visibility={visibility}
        setVisibility={setVisibility}
        selectedCount={selected.size}
        bulkOpen={bulkOpen}
        onBulk={() => { setPanel({ kind: "bulk" }); }}
        onClearSelection={() => { setSelected(new Set()); }}
        onCreate={() => { setPanel({ kind: "create" }); }}
        onRefresh={() => { load.mutate(); }}
      />

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

      <DoneNotice message={deleted} testId="members-deleted" onClose={() => { setDeleted(null); }} />

      <div className="members__body">
        <MembersTable
          rows={shown}
          sorting={filters.sorting}
          onSortingChange={filters.sortBy}
          visibility={visibility}
          onOpen={(m: Member) => {
            if (!bulkOpen) setPanel({ kind: "member", username: m.username });
          }}
          selected={selected}
          onSelectedChange={setSelected}
          groupTitles={groupTitles}
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
              {members.isError && (
                <ErrorNotice
                  error={members.error}
                  testId="members-error"
                  title="The members could not be loaded"
                  onRetry={() => void members.refetch()}
                />
              )}
            </>
          }
          empty={
            all && all.length > 0 ? (
              <EmptyState icon="search" testId="members-empty">
                <p>No member matches these filters.</p>
                <calcite-button appearance="outline" onClick={clear}>
                  Clear filters
                </calcite-button>
              </EmptyState>
            ) : all?.length === 0 && !load.isPending ? (
              <EmptyState icon="users" testId="members-none">
                <p>No members are cached for this portal yet.</p>
                <calcite-button onClick={() => { load.mutate(); }}>Load members</calcite-button>
              </EmptyState>
            ) : null
          }
        />
        {bulkOpen && (
          <BulkPanel
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
        {opened && (
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
              setDeleted(receiver ? `${username} was deleted; their content and groups went to ${receiver}.` : `${username} was deleted.`);
            }}
          />
        )}
      </div>
    </div>
  );
}
