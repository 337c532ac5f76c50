// The organization's groups with their member counts (the bars compare them at a glance);
// a group's members; add members (found among the cached members as you type) and remove
// them. Changes go through the bulk job, so each one is checked and reported like any other.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper } from "@tanstack/react-table";
import { useCallback, useMemo, useState } from "react";
import { bulkChange, type GroupMemberRow, type MemberType, type GroupRow, type Member } from "../../platform/backend";
import { DoneNotice } from "../../app/DoneNotice";
import { ErrorNotice } from "../../app/ErrorNotice";
import { ConfirmAction } from "../../components/ConfirmAction";
import { DataTable } from "../../components/DataTable";
import { EmptyState } from "../../components/EmptyState";
import { SearchToolbar } from "../../components/SearchToolbar";
import { groupMembersQuery, groupRowsQuery, queryKeys } from "../../platform/queries";
import { MemberPicker } from "../members/MemberPicker";
import { membersChanged } from "../members/membersChanged";
import "./groups.css";

const numberFormat = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

const TYPE_NAMES: Record<MemberType, string> = { owner: "Owner", admin: "Manager", member: "Member" };

export function GroupsPage() {
  const queryClient = useQueryClient();
  const groups = useQuery(groupRowsQuery());
  const [text, setText] = useState("");
  const [chosenId, setChosenId] = useState<string | null>(null);
  const rows = groups.data;
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    return (rows ?? []).filter(
      (g) => needle === "" || g.title.toLowerCase().includes(needle) || g.owner.toLowerCase().includes(needle),
    );
  }, [rows, text]);
  const most = useMemo(() => Math.max(1, ...(rows ?? []).map((g) => g.members)), [rows]);
  const chosen = rows?.find((g) => g.id === chosenId);

  return (
    <div className="groups" data-testid="groups-page">
      <div className="groups__list">
        <SearchToolbar
          variant="panel"
          label="Search groups"
          placeholder="Search groups"
          testId="groups-filter-text"
          text={text}
          onText={setText}
          count={rows ? `${numberFormat.format(shown.length)} of ${numberFormat.format(rows.length)} groups` : ""}
          countTestId="groups-count"
        >
          <calcite-button
            appearance="outline"
            icon-start="refresh"
            label="Read the groups again"
            data-testid="groups-refresh"
            disabled={groups.isFetching || undefined}
            onClick={() => void queryClient.invalidateQueries({ queryKey: queryKeys.groups })}
          />
        </SearchToolbar>
        {groups.isPending && <calcite-loader label="Reading groups" data-testid="groups-loading" />}
        {groups.isError && (
          <ErrorNotice
            error={groups.error}
            testId="groups-error"
            title="The groups could not be read"
            onRetry={() => void groups.refetch()}
          />
        )}
        {rows?.length === 0 && <p className="groups__empty">This organization has no groups yet.</p>}
        <ul className="groups__items">
          {shown.map((g) => (
            <li key={g.id}>
              <button
                type="button"
                className={`groups__item${g.id === chosenId ? " groups__item--chosen" : ""}`}
                aria-pressed={g.id === chosenId}
                data-testid="group-row"
                data-id={g.id}
                onClick={() => { setChosenId(g.id); }}
              >
                <span className="groups__title">{g.title}</span>
                <span className="groups__meta">{`${g.owner} · ${g.access}`}</span>
                <span className="groups__bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(2, (g.members / most) * 100)}%` }} />
                </span>
                <span className="groups__members" data-testid="group-row-count">
                  {`${numberFormat.format(g.members)} ${g.members === 1 ? "member" : "members"}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
      {chosen ? (
        <GroupDetail key={chosen.id} group={chosen} />
      ) : (
        <EmptyState icon="group">
          <p>Choose a group to see and change its members.</p>
        </EmptyState>
      )}
    </div>
  );
}

/** What a member's buttons do; the member being confirmed shows Remove / Keep instead. */
interface RowActions {
  /** The group's title, for the buttons' labels. */
  group: string;
  confirming: string | null;
  busy: boolean;
  onRemove: (username: string) => void;
  onConfirm: (username: string) => void;
  onKeep: () => void;
}

const column = createColumnHelper<GroupMemberRow>();

function memberColumns({ group, confirming, busy, onRemove, onConfirm, onKeep }: RowActions) {
  return [
    column.accessor("username", { header: "Username" }),
    column.accessor("fullName", { header: "Full name" }),
    column.accessor("memberType", { header: "In the group as", cell: (c) => TYPE_NAMES[c.getValue()] }),
    column.accessor("joined", {
      header: "Joined",
      cell: (c) => {
        const joined = c.getValue();
        return joined === null || joined <= 0 ? "" : dateFormat.format(joined);
      },
    }),
    column.display({
      id: "actions",
      header: () => <span className="visually-hidden">Actions</span>,
      meta: { cellClassName: "data-table__actions" },
      cell: ({ row: { original: m } }) =>
        m.memberType === "owner" ? null : (
          <ConfirmAction
            action="Remove"
            label={`Remove ${m.username} from ${group}`}
            testId="group-member-remove"
            confirming={confirming === m.username}
            busy={busy}
            onAsk={() => { onRemove(m.username); }}
            onConfirm={() => { onConfirm(m.username); }}
            onKeep={onKeep}
          />
        ),
    }),
  ];
}

const NO_MEMBERS: GroupMemberRow[] = [];
const usernameOf = (m: GroupMemberRow) => m.username;
const rowData = (m: GroupMemberRow) => ({ "data-username": m.username });

function GroupDetail({ group }: { group: GroupRow }) {
  const queryClient = useQueryClient();
  const members = useQuery(groupMembersQuery(group.id));
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const inGroup = useMemo(() => new Set((members.data ?? []).map((m) => m.username.toLowerCase())), [members.data]);
  const alreadyIn = useCallback((m: Member) => inGroup.has(m.username.toLowerCase()), [inGroup]);
  const change = useMutation({
    mutationFn: async ({ username, add }: { username: string; add: boolean }) => {
      const report = await bulkChange(
        { kind: add ? "addToGroup" : "removeFromGroup", target: group.id, usernames: [username] },
        () => undefined,
      );
      const item = report.items[0];
      if (item?.outcome !== "done") throw new Error(item?.reason ?? "The portal did not change this membership.");
    },
    onMutate: () => { setNotice(null); },
    onSuccess: (_, { username, add }) => {
      setNotice(add ? `${username} was added to ${group.title}.` : `${username} was removed from ${group.title}.`);
      void membersChanged(queryClient);
    },
    onSettled: async () => {
      setConfirming(null);
      await queryClient.invalidateQueries({ queryKey: queryKeys.groups });
    },
  });

  const { mutate, reset, isPending } = change;
  const columns = useMemo(
    () =>
      memberColumns({
        group: group.title,
        confirming,
        busy: isPending,
        onRemove: (username) => {
          reset();
          setConfirming(username);
        },
        onConfirm: (username) => { mutate({ username, add: false }); },
        onKeep: () => { setConfirming(null); },
      }),
    [group.title, confirming, isPending, reset, mutate],
  );

  return (
    <section className="groups__detail" aria-label={`Group ${group.title}`} data-testid="group-detail">
      <header className="groups__detail-head">
        <h2>{group.title}</h2>
        <span>{`Owner ${group.owner} · ${group.access} · ${numberFormat.format(group.members)} ${group.members === 1 ? "member" : "members"}`}</span>
      </header>
      <div className="groups__add">
        <MemberPicker
          label="Add a member"
          placeholder="Type a username or name"
          icon="user-plus"
          exclude={alreadyIn}
          onPick={(m) => { change.mutate({ username: m.username, add: true }); }}
          actionLabel="Add"
          actionIcon="plus"
          testId="group-add"
          noMatch="No member outside this group matches."
          disabled={change.isPending}
        />
      </div>
      <DoneNotice message={change.isError ? null : notice} testId="group-notice" onClose={() => { setNotice(null); }} />
      {change.isError && (
        <ErrorNotice error={change.error} testId="group-error" title="The membership was not changed" scale="s" />
      )}
      {members.isPending && <calcite-loader label="Reading the group's members" />}
      <DataTable
        rows={members.data ?? NO_MEMBERS}
        columns={columns}
        getRowId={usernameOf}
        testId="group-members"
        rowTestId="group-member"
        rowData={rowData}
        empty={members.data && (
          <EmptyState icon="users">
            <p>This group has no members.</p>
          </EmptyState>
        )}
        error={
          members.isError && (
            <ErrorNotice
              error={members.error}
              testId="group-members-error"
              onRetry={() => void members.refetch()}
            />
          )
        }
      />
    </section>
  );
}
