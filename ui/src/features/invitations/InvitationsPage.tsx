// The organization's open invitations: who was invited, by whom, with which role and user
// type, and whether the link still works. Withdraw one, or send it again with a new expiry.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import {
  deleteInvitation,
  inviteAgain,
  type InvitationRow,
  type InvitationState,
} from "../../platform/backend";
import { DoneNotice } from "../../app/DoneNotice";
import { ErrorNotice } from "../../app/ErrorNotice";
import { invitationsQuery, queryKeys } from "../../platform/queries";

const numberFormat = new Intl.NumberFormat();
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

function formatDate(ms: number | null): string {
  return ms === null ? "" : dateFormat.format(ms);
}

type StateFilter = "all" | InvitationState;
type SortKey = "username" | "email" | "roleName" | "userTypeName" | "invitedBy" | "created" | "expiration";

const STATE_LABELS: Record<InvitationState, string> = {
  pending: "Pending",
  expiring: "Expires soon",
  expired: "Expired",
};

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "username", label: "Username" },
  { key: "email", label: "Email" },
  { key: "roleName", label: "Role" },
  { key: "userTypeName", label: "User type" },
  { key: "invitedBy", label: "Invited by" },
  { key: "created", label: "Sent" },
  { key: "expiration", label: "Expires" },
];

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
      setNotice(`The invitation of ${row.username} was withdrawn; its link no longer works.`);
      setConfirming(null);
      await refresh();
    },
  });
  const again = useMutation({
    mutationFn: (row: InvitationRow) => inviteAgain(row.id),
    onSuccess: async (_, row) => {
      setNotice(`${row.username} was invited again, with a new link sent to ${row.email}.`);
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

  return (
    <div className="invitations" data-testid="invitations-page">
      <div className="members__toolbar" role="search">
        <calcite-input
          className="members__search"
          type="search"
          icon="search"
          clearable
          placeholder="Search username, name or email"
          label="Search invitations"
          data-testid="invitations-filter-text"
          value={text}
          oncalciteInputInput={(e) => { setText(e.target.value); }}
        />
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
      </div>

      <div className="members__status">
        <span data-testid="invitations-count" aria-live="polite">
          {rows
            ? shown.length === rows.length
              ? `${numberFormat.format(rows.length)} ${rows.length === 1 ? "invitation" : "invitations"}`
              : `${numberFormat.format(shown.length)} of ${numberFormat.format(rows.length)} invitations`
            : ""}
        </span>
      </div>

      <DoneNotice message={failed ? null : notice} testId="invitations-notice" onClose={() => { setNotice(null); }} />
      {failed && (
        <ErrorNotice error={failed} testId="invitations-action-error" title="The invitation was not changed" scale="s" />
      )}
      {invitations.isPending && (
        <div className="center">
          <calcite-loader label="Reading invitations" data-testid="invitations-loading" />
        </div>
      )}
      {invitations.isError && (
        <ErrorNotice
          error={invitations.error}
          testId="invitations-error"
          title="The invitations could not be read"
          onRetry={() => void invitations.refetch()}
        />
      )}
      {rows?.length === 0 && (
        <div className="members__empty" data-testid="invitations-none">
          <calcite-icon icon="envelope" scale="l" aria-hidden="true" />
          <p>No open invitations. Invitations sent by email show here until they are accepted.</p>
        </div>
      )}
      {rows && rows.length > 0 && shown.length === 0 && (
        <div className="members__empty" data-testid="invitations-empty">
          <calcite-icon icon="search" scale="l" aria-hidden="true" />
          <p>No invitation matches these filters.</p>
        </div>
      )}
      {shown.length > 0 && (
        <div className="members-table invitations-table">
          <table>
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const sorted = sort.key === c.key;
                  return (
                    <th key={c.key} aria-sort={sorted ? (sort.descending ? "descending" : "ascending") : "none"}>
                      <button
                        type="button"
                        className="members-table__sort"
                        data-testid={`invitations-sort-${c.key}`}
                        onClick={() => {
                          setSort((s) => ({ key: c.key, descending: s.key === c.key ? !s.descending : false }));
                        }}
                      >
                        {c.label}
                        <calcite-icon
                          scale="s"
                          aria-hidden="true"
                          icon={sorted ? (sort.descending ? "chevron-down" : "chevron-up") : "sort-ascending-arrow"}
                          className={sorted ? "" : "members-table__sort-idle"}
                        />
                      </button>
                    </th>
                  );
                })}
                <th>State</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.id} data-testid="invitation-row" data-id={r.id} data-username={r.username}>
                  <td>
                    <div>{r.username}</div>
                    {r.fullName && <div className="invitations__name">{r.fullName}</div>}
                  </td>
                  <td>{r.email}</td>
                  <td>{r.roleName}</td>
                  <td>{r.userTypeName}</td>
                  <td>{r.invitedBy}</td>
                  <td>{formatDate(r.created)}</td>
                  <td>{formatDate(r.expiration)}</td>
                  <td>
                    <span className={`status status--${r.state}`} data-testid="invitation-state">
                      {STATE_LABELS[r.state]}
                    </span>
                  </td>
                  <td className="invitations__actions">
                    {confirming === r.id ? (
                      <>
                        <calcite-button
                          scale="s"
                          kind="danger"
                          data-testid="invitation-delete-confirm"
                          disabled={busy || undefined}
                          onClick={() => { remove.mutate(r); }}
                        >
                          Withdraw
                        </calcite-button>
                        <calcite-button
                          scale="s"
                          appearance="transparent"
                          kind="neutral"
                          data-testid="invitation-delete-keep"
                          onClick={() => { setConfirming(null); }}
                        >
                          Keep
                        </calcite-button>
                      </>
                    ) : (
                      <>
                        <calcite-button
                          scale="s"
                          appearance="transparent"
                          icon-start="envelope"
                          data-testid="invitation-again"
                          disabled={busy || undefined}
                          label={`Invite ${r.username} again`}
                          onClick={() => {
                            setNotice(null);
                            remove.reset();
                            again.mutate(r);
                          }}
                        >
                          Invite again
                        </calcite-button>
                        <calcite-button
                          scale="s"
                          appearance="transparent"
                          kind="danger"
                          icon-start="trash"
                          data-testid="invitation-delete"
                          disabled={busy || undefined}
                          label={`Withdraw the invitation of ${r.username}`}
                          onClick={() => {
                            setNotice(null);
                            again.reset();
                            remove.reset();
                            setConfirming(r.id);
                          }}
                        >
                          Withdraw
                        </calcite-button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
