// The organization's open invitations: who was invited, by whom, with which role and user
// type, and whether the link still works. Withdraw one, or send it again with a new expiry.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createColumnHelper, type SortingState } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import {
  deleteInvitation,
  inviteAgain,
  type InvitationRow,
  type InvitationState,
} from "../../platform/backend";
import { DoneNotice } from "../../app/DoneNotice";
import { ErrorNotice } from "../../app/ErrorNotice";
import { ConfirmAction } from "../../components/ConfirmAction";
import { DataTable } from "../../components/DataTable";
import { EmptyState } from "../../components/EmptyState";
import { SearchToolbar } from "../../components/SearchToolbar";
import { invitationsQuery, queryKeys } from "../../platform/queries";
import "./invitations.css";

const numberFormat = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

function formatDate(ms: number | null): string {
  return ms === null ? "" : dateFormat.format(ms);
}

type StateFilter = "all" | InvitationState;
// Whom an invitation names: its username, or its email for an invitation to join.
function invitee(r: InvitationRow): string {
  return r.username || r.email;
}

type SortKey = "username" | "email" | "roleName" | "userTypeName" | "invitedBy" | "created" | "expiration";

const STATE_LABELS: Record<InvitationState, string> = {
  pending: "Pending",
  expiring: "Expires soon",
  expired: "Expired",
};

/** The rows a filter and sort show. */
export function visibleInvitations(
  rows: readonly InvitationRow[],
  text: string,
  state: StateFilter,
  sort: { key: SortKey; descending: boolean },
): InvitationRow[] {
  const needle = text.trim().toLowerCase();
  const shown = rows.filter(
    (r) =>
      (state === "all" || r.state === state) &&
      (needle === "" ||
        r.username.toLowerCase().includes(needle) ||
        r.email.toLowerCase().includes(needle) ||
        r.fullName.toLowerCase().includes(needle)),
  );
  const sign = sort.descending ? -1 : 1;
  return shown.sort((a, b) => {
    const x = a[sort.key];
    const y = b[sort.key];
    const order =
      typeof x === "string" && typeof y === "string" ? x.localeCompare(y) : (Number(x) || 0) - (Number(y) || 0);
    return sign * order || a.id.localeCompare(b.id);
  });
}

/** What a row's buttons do; the row being confirmed shows Withdraw / Keep instead. */
interface RowActions {
  confirming: string | null;
  busy: boolean;
  onAgain: (row: InvitationRow) => void;
  onWithdraw: (row: InvitationRow) => void;
  onConfirm: (row: InvitationRow) => void;
  onKeep: () => void;
}

const column = createColumnHelper<InvitationRow>();

function invitationColumns(actions: RowActions) {
  const { confirming, busy, onAgain, onWithdraw, onConfirm, onKeep } = actions;
  return [
    column.accessor("username", {
      header: "Username",
      cell: ({ row: { original: r } }) => (
        <>
          <div>{r.username}</div>
          {r.fullName && <div className="invitations__name">{r.fullName}</div>}
        </>
      ),
    }),
    column.accessor("email", { header: "Email" }),
    column.accessor("roleName", { header: "Role" }),
    column.accessor("userTypeName", { header: "User type" }),
    column.accessor("invitedBy", { header: "Invited by" }),
    column.accessor("created", { header: "Sent", cell: (c) => formatDate(c.getValue()) }),
    column.accessor("expiration", { header: "Expires", cell: (c) => formatDate(c.getValue()) }),
    column.accessor("state", {
      header: "State",
      enableSorting: false,
      cell: (c) => (
        <span className={`status status--${c.getValue()}`} data-testid="invitation-state">
          {STATE_LABELS[c.getValue()]}
        </span>
      ),
    }),
    column.display({
      id: "actions",
      header: () => <span className="visually-hidden">Actions</span>,
      meta: { cellClassName: "data-table__actions" },
      cell: ({ row: { original: r } }) => (
        <>
          {confirming !== r.id && (
            <calcite-button
              scale="s"
              appearance="transparent"
              icon-start="envelope"
              data-testid="invitation-again"
              disabled={busy || undefined}
              label={`Invite ${invitee(r)} again`}
              onClick={() => { onAgain(r); }}
            >
              Invite again
            </calcite-button>
          )}
          <ConfirmAction
            action="Withdraw"
            label={`Withdraw the invitation of ${r.username}`}
            testId="invitation-delete"
            confirming={confirming === r.id}
            busy={busy}
            onAsk={() => { onWithdraw(r); }}
            onConfirm={() => { onConfirm(r); }}
            onKeep={onKeep}
          />
        </>
      ),
    }),
  ];
}

const idOf = (r: InvitationRow) => r.id;
const rowData = (r: InvitationRow) => ({ "data-id": r.id, "data-username": r.username });

export function InvitationsPage() {
  const queryClient = useQueryClient();
  const invitations = useQuery(invitationsQuery());
  const [text, setText] = useState("");
  const [state, setState] = useState<StateFilter>("all");
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: "created", descending: true });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.invitations });
  const remove = useMutation({
    mutationFn: (row: InvitationRow) => deleteInvitation(row.id),
    onSuccess: async (_, row) => {
      setNotice(`The invitation of ${invitee(row)} was withdrawn; its link no longer works.`);
      setConfirming(null);
      await refresh();
    },
  });
  const again = useMutation({
    mutationFn: (row: InvitationRow) => inviteAgain(row.id),
    onSuccess: async (_, row) => {
      setNotice(`${invitee(row)} was invited again, with a new link sent to ${row.email}.`);
      await refresh();
    },
    onError: () => refresh(),
  });
  const failed = remove.error ?? again.error;
  const rows = invitations.data;
  const shown = useMemo(() => visibleInvitations(rows ?? [], text, state, sort), [rows, text, state, sort]);
  const counts = useMemo(() => {
    const c: Record<InvitationState, number> = { pending: 0, expiring: 0, expired: 0 };
    for (const r of rows ?? []) c[r.state] += 1;
    return c;
  }, [rows]);
  const busy = remove.isPending || again.isPending;
  const { mutate: withdraw, reset: resetRemove } = remove;
  const { mutate: sendAgain, reset: resetAgain } = again;
  const columns = useMemo(
    () =>
      invitationColumns({
        confirming,
        busy,
        onAgain: (r) => {
          setNotice(null);
          resetRemove();
          sendAgain(r);
        },
        onWithdraw: (r) => {
          setNotice(null);
          resetAgain();
          resetRemove();
          setConfirming(r.id);
        },
        onConfirm: (r) => { withdraw(r); },
        onKeep: () => { setConfirming(null); },
      }),
    [confirming, busy, resetRemove, sendAgain, resetAgain, withdraw],
  );
  const sorting: SortingState = useMemo(() => [{ id: sort.key, desc: sort.descending }], [sort]);

  return (
    <div className="invitations" data-testid="invitations-page">
      <SearchToolbar
        label="Search invitations"
        placeholder="Search username, name or email"
        testId="invitations-filter-text"
        text={text}
        onText={setText}
        count={
          rows
            ? shown.length === rows.length
              ? `${numberFormat.format(rows.length)} ${rows.length === 1 ? "invitation" : "invitations"}`
              : `${numberFormat.format(shown.length)} of ${numberFormat.format(rows.length)} invitations`
            : ""
        }
        countTestId="invitations-count"
      >
        <calcite-segmented-control
          label="State"
          data-testid="invitations-filter-state"
          oncalciteSegmentedControlChange={(e) => { setState(e.target.value as StateFilter); }}
        >
          <calcite-segmented-control-item value="all" checked={state === "all"}>
            {`All (${numberFormat.format(rows?.length ?? 0)})`}
          </calcite-segmented-control-item>
          {(["pending", "expiring", "expired"] as const).map((s) => (
            <calcite-segmented-control-item key={s} value={s} checked={state === s} data-testid={`invitations-state-${s}`}>
              {`${STATE_LABELS[s]} (${numberFormat.format(counts[s])})`}
            </calcite-segmented-control-item>
          ))}
        </calcite-segmented-control>
        <calcite-button
          appearance="outline"
          icon-start="refresh"
          data-testid="invitations-refresh"
          disabled={invitations.isFetching || undefined}
          onClick={() => void refresh()}
        >
          Refresh
        </calcite-button>
      </SearchToolbar>

      <DoneNotice message={failed ? null : notice} testId="invitations-notice" onClose={() => { setNotice(null); }} />
      {failed && (
        <ErrorNotice error={failed} testId="invitations-action-error" title="The invitation was not changed" scale="s" />
      )}
      <DataTable
        rows={shown}
        columns={columns}
        getRowId={idOf}
        testId="invitations"
        rowTestId="invitation-row"
        rowData={rowData}
        sorting={{
          state: sorting,
          // A column's first click sorts it ascending; the next ones reverse it.
          onChange: (s) => {
            const first = s[0];
            if (first) setSort({ key: first.id as SortKey, descending: first.desc });
          },
          descFirst: false,
          removable: false,
        }}
        error={
          invitations.isError && (
            <ErrorNotice
              error={invitations.error}
              testId="invitations-error"
              title="The invitations could not be read"
              onRetry={() => void invitations.refetch()}
            />
          )
        }
        empty={
          invitations.isPending ? (
            <div className="center">
              <calcite-loader label="Reading invitations" data-testid="invitations-loading" />
            </div>
          ) : rows?.length === 0 ? (
            <EmptyState icon="envelope" testId="invitations-none">
              <p>No open invitations. Invitations sent by email show here until they are accepted.</p>
            </EmptyState>
          ) : rows ? (
            <EmptyState icon="search" testId="invitations-empty">
              <p>No invitation matches these filters.</p>
            </EmptyState>
          ) : null
        }
      />
    </div>
  );
}
