// The organization's members: loaded once into the local cache (with progress), then
// filtered and sorted on this computer as fast as a person types.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SortingState, VisibilityState } from "@tanstack/react-table";
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type Dispatch,
  type SetStateAction,
} from "react";
import { loadMembers, type LoadProgress, type Member, type SessionInfo } from "../../platform/backend";
import { DoneNotice } from "../../app/DoneNotice";
import { ErrorNotice } from "../../app/ErrorNotice";
import { groupsQuery, membersQuery, queryKeys } from "../../platform/queries";
import {
  emptyFilter,
  facets,
  groupCounts,
  IncrementalFilter,
  NO_GROUP,
  searchIndex,
  sortMembers,
  type LastLoginFilter,
  type MemberFilter,
  type SortKey,
  type StatusFilter,
} from "./filter";
import { CreateMemberPanel } from "./create/CreateMemberPanel";
import { BulkPanel } from "./BulkPanel";
import { MemberPanel } from "./MemberPanel";
import { columns, defaultVisibility, MembersTable, type SelectionState } from "./MembersTable";

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

function countOf(n: number): string {
  return `${numberFormat.format(n)} ${n === 1 ? "member" : "members"}`;
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

  const [filter, setFilter] = useState<MemberFilter>(emptyFilter);
  const [sorting, setSorting] = useState<SortingState>([{ id: "username", desc: false }]);
  const [visibility, setVisibility] = useState<VisibilityState>(defaultVisibility);
  // The side panel: one member, the bulk change of the selection, or a new member.
  const [panel, setPanel] = useState<Panel>(null);
  const openedName = panel?.kind === "member" ? panel.username : null;
  const bulkOpen = panel?.kind === "bulk";
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  // What the last deletion did, until closed.
  const [deleted, setDeleted] = useState<string | null>(null);

  const all = members.data;
  const opened = useMemo(
    () => (openedName === null ? undefined : all?.find((m) => m.username === openedName)),
    [all, openedName],
  );
  // "Not signed in for N days" counts from when the rows were read, so a filter is a pure
  // function of its inputs.
  const loadedAt = members.dataUpdatedAt;
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
  const groupList = useQuery(groupsQuery());
  const groupTitles = useMemo(
    () => new Map((groupList.data ?? []).map((g) => [g.id, g.title])),
    [groupList.data],
  );
  const groups = useMemo(() => {
    const counts = groupCounts(all ?? []);
    return {
      none: counts.none,
      list: (groupList.data ?? []).map((g) => ({ id: g.id, name: g.title, count: counts.byGroup.get(g.id) ?? 0 })),
    };
  }, [all, groupList.data]);
  const set = useCallback((patch: Partial<MemberFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
  }, []);
  const filtered = JSON.stringify(filter) !== JSON.stringify(emptyFilter);

  // Selection is by username, so it survives filtering and sorting; Shift+click extends it
  // from the row toggled last, over the rows as shown.
  const anchor = useRef<number | null>(null);
  const toggle = useCallback(
    (index: number, range: boolean) => {
      const member = shown[index];
      if (!member) return;
      const on = !selected.has(member.username);
      const from = range && anchor.current !== null ? Math.min(anchor.current, index) : index;
      const to = range && anchor.current !== null ? Math.max(anchor.current, index) : index;
      const next = new Set(selected);
      for (const m of shown.slice(from, to + 1)) {
        if (on) next.add(m.username);
        else next.delete(m.username);
      }
      anchor.current = index;
      setSelected(next);
    },
    [shown, selected],
  );
  const selection: SelectionState = useMemo(() => {
    if (selected.size === 0 || shown.length === 0) return "none";
    let count = 0;
    for (const m of shown) if (selected.has(m.username)) count += 1;
    return count === 0 ? "none" : count === shown.length ? "all" : "some";
  }, [selected, shown]);
  const toggleAll = useCallback(() => {
    const next = new Set(selected);
    if (selection === "all") for (const m of shown) next.delete(m.username);
    else for (const m of shown) next.add(m.username);
    anchor.current = null;
    setSelected(next);
  }, [selected, selection, shown]);

  return (
    // data-filter-text: the text whose result is on screen (tests and bench/ui.sh wait on it).
    <div className="members" data-filter-text={filter.text}>
      <div className="members__toolbar" role="search">
        <calcite-input
          className="members__search"
          type="search"
          icon="search"
          clearable
          placeholder="Search username, name or email"
          label="Search members"
          data-testid="members-filter-text"
          value={filter.text}
          oncalciteInputInput={(e) => { set({ text: e.target.value }); }}
        />
        <FilterControls
          role={filter.role}
          userType={filter.userType}
          lastLogin={filter.lastLogin}
          loginFrom={filter.loginFrom}
          loginTo={filter.loginTo}
          provider={filter.provider}
          status={filter.status}
          group={filter.group}
          roles={roles}
          userTypes={userTypes}
          groups={groups}
          visibility={visibility}
          set={set}
          setVisibility={setVisibility}
        />
        <calcite-button
          icon-start="user-plus"
          data-testid="create-open"
          onClick={() => { setPanel({ kind: "create" }); }}
        >
          New member
        </calcite-button>
        <calcite-button
          appearance="outline"
          icon-start="refresh"
          data-testid="members-refresh"
          disabled={load.isPending || undefined}
          onClick={() => { load.mutate(); }}
        >
          Refresh
        </calcite-button>
      </div>

      <div className="members__status">
        <span data-testid="members-count" aria-live="polite">
          {all && (all.length > 0 || !load.isPending)
            ? filtered
              ? `${numberFormat.format(shown.length)} of ${countOf(all.length)}`
              : countOf(all.length)
            : ""}
        </span>
        {session.cache.loadedAt !== null && !load.isPending && (
          <span className="members__loaded">
            Loaded {new Date(session.cache.loadedAt).toLocaleString()}
          </span>
        )}
        {selected.size > 0 && (
          <span className="members__selection">
            <span data-testid="members-selected-count">{`${numberFormat.format(selected.size)} selected`}</span>
            <calcite-button
              scale="s"
              icon-start="list-check"
              data-testid="bulk-open"
              onClick={() => { setPanel({ kind: "bulk" }); }}
            >
              Change selected…
            </calcite-button>
            <calcite-button
              scale="s"
              appearance="transparent"
              kind="neutral"
              data-testid="members-clear-selection"
              disabled={bulkOpen || undefined}
              onClick={() => { setSelected(new Set()); }}
            >
              Clear selection
            </calcite-button>
          </span>
        )}
        {/* Always present (disabled when there is nothing to clear): the layout stays put. */}
        <calcite-button
          appearance="transparent"
          scale="s"
          icon-start="x"
          data-testid="members-clear-filters"
          disabled={!filtered || undefined}
          onClick={() => { setFilter(emptyFilter); }}
        >
          Clear filters
        </calcite-button>
      </div>

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

      {all && all.length > 0 && shown.length === 0 && (
        <div className="members__empty" data-testid="members-empty">
          <calcite-icon icon="search" scale="l" aria-hidden="true" />
          <p>No member matches these filters.</p>
          <calcite-button appearance="outline" onClick={() => { setFilter(emptyFilter); }}>
            Clear filters
          </calcite-button>
        </div>
      )}
      {all?.length === 0 && !load.isPending && (
        <div className="members__empty" data-testid="members-none">
          <calcite-icon icon="users" scale="l" aria-hidden="true" />
          <p>No members are cached for this portal yet.</p>
          <calcite-button onClick={() => { load.mutate(); }}>Load members</calcite-button>
        </div>
      )}
      <div className="members__body">
        {shown.length > 0 && (
          <MembersTable
            rows={shown}
            sorting={sorting}
            onSortingChange={(s) => { setSorting(s.length > 0 ? s : [{ id: "username", desc: false }]); }}
            visibility={visibility}
            onOpen={(m: Member) => {
              if (!bulkOpen) setPanel({ kind: "member", username: m.username });
            }}
            selected={selected}
            onToggle={toggle}
            onToggleAll={toggleAll}
            selection={selection}
            groupTitles={groupTitles}
          />
        )}
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

interface Facet {
  id: string;
  name: string;
  count: number;
}

interface FilterControlsProps {
  role: string;
  userType: string;
  lastLogin: LastLoginFilter;
  loginFrom: string;
  loginTo: string;
  provider: string;
  status: StatusFilter;
  group: string;
  roles: Facet[];
  userTypes: Facet[];
  /** The groups with how many members each has, and how many members are in none. */
  groups: { list: Facet[]; none: number };
  visibility: VisibilityState;
  set: (patch: Partial<MemberFilter>) => void;
  setVisibility: Dispatch<SetStateAction<VisibilityState>>;
}

/**
 * The filters other than the text, and the column chooser. Memoized: a keystroke in the
 * search box changes none of their props, so they do not re-render while people type.
 */
const FilterControls = memo(function FilterControls({
  role,
  userType,
  lastLogin,
  loginFrom,
  loginTo,
  provider,
  status,
  group,
  roles,
  userTypes,
  groups,
  visibility,
  set,
  setVisibility,
}: FilterControlsProps) {
  return (
    <>
          <calcite-select
            label="Role"
            data-testid="members-filter-role"
            oncalciteSelectChange={(e) => { set({ role: e.target.value }); }}
          >
            <calcite-option value="" selected={role === ""}>
              All roles
            </calcite-option>
            {roles.map((r) => (
              <calcite-option key={r.id} value={r.id} selected={role === r.id}>
                {`${r.name} (${numberFormat.format(r.count)})`}
              </calcite-option>
            ))}
          </calcite-select>
          <calcite-select
            label="User type"
            data-testid="members-filter-user-type"
            oncalciteSelectChange={(e) => { set({ userType: e.target.value }); }}
          >
            <calcite-option value="" selected={userType === ""}>
              All user types
            </calcite-option>
            {userTypes.map((t) => (
              <calcite-option key={t.id} value={t.id} selected={userType === t.id}>
                {`${t.name} (${numberFormat.format(t.count)})`}
              </calcite-option>
            ))}
          </calcite-select>
          <calcite-select
            label="Last login"
            data-testid="members-filter-last-login"
            oncalciteSelectChange={(e) => { set({ lastLogin: e.target.value as LastLoginFilter }); }}
          >
            <calcite-option value="any" selected={lastLogin === "any"}>
              Any last login
            </calcite-option>
            <calcite-option value="never" selected={lastLogin === "never"}>
              Never signed in
            </calcite-option>
            <calcite-option value="30" selected={lastLogin === "30"}>
              Not in 30 days
            </calcite-option>
            <calcite-option value="90" selected={lastLogin === "90"}>
              Not in 90 days
            </calcite-option>
            <calcite-option value="365" selected={lastLogin === "365"}>
              Not in a year
            </calcite-option>
            <calcite-option value="range" selected={lastLogin === "range"}>
              Between dates…
            </calcite-option>
          </calcite-select>
          {lastLogin === "range" && (
            <span className="members__range" role="group" aria-label="Last login between">
              <calcite-input
                type="date"
                label="Last login from"
                data-testid="members-filter-login-from"
                value={loginFrom}
                oncalciteInputInput={(e) => { set({ loginFrom: e.target.value }); }}
              />
              <span aria-hidden="true">–</span>
              <calcite-input
                type="date"
                label="Last login to"
                data-testid="members-filter-login-to"
                value={loginTo}
                oncalciteInputInput={(e) => { set({ loginTo: e.target.value }); }}
              />
            </span>
          )}
          <calcite-select
            label="Sign-in provider"
            data-testid="members-filter-provider"
            oncalciteSelectChange={(e) => { set({ provider: e.target.value }); }}
          >
            <calcite-option value="" selected={provider === ""}>
              All accounts
            </calcite-option>
            <calcite-option value="arcgis" selected={provider === "arcgis"}>
              ArcGIS accounts
            </calcite-option>
            <calcite-option value="enterprise" selected={provider === "enterprise"}>
              Identity provider
            </calcite-option>
          </calcite-select>
          <calcite-select
            label="Group"
            data-testid="members-filter-group"
            oncalciteSelectChange={(e) => { set({ group: e.target.value }); }}
          >
            <calcite-option value="" selected={group === ""}>
              All groups
            </calcite-option>
            <calcite-option value={NO_GROUP} selected={group === NO_GROUP}>
              {`In no group (${numberFormat.format(groups.none)})`}
            </calcite-option>
            {groups.list.map((g) => (
              <calcite-option key={g.id} value={g.id} selected={group === g.id}>
                {`${g.name} (${numberFormat.format(g.count)})`}
              </calcite-option>
            ))}
          </calcite-select>
          <calcite-segmented-control
            label="Status"
            data-testid="members-filter-status"
            oncalciteSegmentedControlChange={(e) => { set({ status: e.target.value as StatusFilter }); }}
          >
            <calcite-segmented-control-item
              value="all"
              checked={status === "all"}
              data-testid="members-status-all"
            >
              All
            </calcite-segmented-control-item>
            <calcite-segmented-control-item
              value="active"
              checked={status === "active"}
              data-testid="members-status-active"
            >
              Active
            </calcite-segmented-control-item>
            <calcite-segmented-control-item
              value="disabled"
              checked={status === "disabled"}
              data-testid="members-status-disabled"
            >
              Disabled
            </calcite-segmented-control-item>
          </calcite-segmented-control>
          <calcite-dropdown close-on-select-disabled placement="bottom-end">
            <calcite-button
              slot="trigger"
              appearance="outline"
              kind="neutral"
              icon-start="column-settings"
              data-testid="members-columns"
            >
              Columns
            </calcite-button>
            <calcite-dropdown-group group-title="Show columns" selection-mode="multiple">
              {columns.map((c) => (
                <calcite-dropdown-item
                  key={c.id}
                  selected={visibility[c.id ?? ""] !== false}
                  data-testid={`members-column-${c.id ?? ""}`}
                  onClick={() => { setVisibility((v) => ({ ...v, [c.id ?? ""]: v[c.id ?? ""] === false })); }
                  }
                >
                  {typeof c.header === "string" ? c.header : c.id}
                </calcite-dropdown-item>
              ))}
            </calcite-dropdown-group>
          </calcite-dropdown>
    </>
  );
});
