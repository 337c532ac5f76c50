// Deleting a member, from the member panel: first what it affects (content, groups owned,
// memberships, open invitations, read from the portal), then who receives the content and
// groups (required when there is any), and the username typed again to confirm. A refusal
// keeps the form as it was, with the portal's reason.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState, type SyntheticEvent } from "react";
import { deleteMember, type Member } from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { TextField } from "../../components/FormField";
import { deleteSummaryQuery, queryKeys } from "../../platform/queries";
import { FormButtons } from "./FormButtons";
import { MemberPicker } from "./MemberPicker";
import { membersChanged } from "./membersChanged";

const numberFormat = new Intl.NumberFormat();

function plural(n: number, one: string, many: string): string {
  return `${numberFormat.format(n)} ${n === 1 ? one : many}`;
}

interface Props {
  member: Member;
  /** The signed-in administrator, who cannot be deleted here nor receive from themselves. */
  signedIn: string;
  onCancel: () => void;
  onDeleted: (username: string, receiver: string | null) => void;
}

export function DeleteMember({ member, signedIn, onCancel, onDeleted }: Props) {
  const queryClient = useQueryClient();
  const summary = useQuery(deleteSummaryQuery(member.username));
  const [receiver, setReceiver] = useState<Member | null>(null);
  const [typed, setTyped] = useState("");
  const [tried, setTried] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteMember(member.username, receiver?.username ?? null),
    onSuccess: async (receiverNow) => {
      // The member goes; the receiver's row now has the groups handed over.
      void membersChanged(queryClient);
      onDeleted(member.username, receiver?.username ?? null);
      // The groups' owners changed.
      if (receiverNow) await queryClient.invalidateQueries({ queryKey: queryKeys.groups });
    },
  });
  const notAReceiver = useCallback(
    (m: Member) => m.disabled || m.username === member.username,
    [member.username],
  );
  const s = summary.data;
  const needsReceiver = s !== undefined && (s.items > 0 || s.folders > 0 || s.groupsOwned.length > 0);
  const self = member.username.toLowerCase() === signedIn.toLowerCase();
  const confirmed = typed.trim() === member.username;
  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    setTried(true);
    if (s && confirmed && !(needsReceiver && !receiver) && !remove.isPending) remove.mutate();
  };

  if (self) {
    return (
      <div className="member-delete" data-testid="member-delete">
        <calcite-notice open kind="warning" icon="exclamation-mark-triangle" scale="s">
          <div slot="message">You cannot delete the account you are signed in with.</div>
        </calcite-notice>
        <calcite-button appearance="outline" kind="neutral" onClick={onCancel}>Back</calcite-button>
      </div>
    );
  }
  return (
    <form className="member-delete" onSubmit={submit} noValidate data-testid="member-delete">
      <h3 className="member-panel__heading">{`Delete ${member.username}`}</h3>
      {summary.isPending && <calcite-loader label="Reading what the member owns" scale="s" />}
      {summary.isError && (
        <ErrorNotice
          error={summary.error}
          testId="member-delete-summary-error"
          title="What the member owns could not be read"
          onRetry={() => void summary.refetch()}
          scale="s"
        />
      )}
      {s && (
        <ul className="member-delete__summary" data-testid="member-delete-summary">
          <li>{`${plural(s.items, "item", "items")} in their root folder, ${plural(s.folders, "folder", "folders")}`}</li>
          <li data-testid="member-delete-groups-owned">
            {s.groupsOwned.length === 0
              ? "Owns no group"
              : `Owns ${plural(s.groupsOwned.length, "group", "groups")}: ${s.groupsOwned.join(", ")}`}
          </li>
          <li>{`Leaves ${plural(s.memberships, "other group", "other groups")}`}</li>
          <li>{`${plural(s.invitations, "open group invitation", "open group invitations")} go with them`}</li>
        </ul>
      )}
      {s && (
        <div>
          {receiver ? (
            <p className="member-delete__receiver" data-testid="member-delete-receiver">
              {`Content and groups go to ${receiver.username}`}
              <calcite-button appearance="transparent" scale="s" onClick={() => { setReceiver(null); }}>
                Change
              </calcite-button>
            </p>
          ) : (
            <MemberPicker
              label={needsReceiver ? "Give their content and groups to (required)" : "Give their content and groups to (optional)"}
              placeholder="Type a username or name"
              icon="user"
              exclude={notAReceiver}
              onPick={setReceiver}
              actionLabel="Choose"
              actionIcon="check"
              testId="member-delete-to"
              noMatch="No active member matches."
            />
          )}
          {tried && needsReceiver && !receiver && (
            <calcite-input-message status="invalid">
              Choose who receives the content and groups: the portal refuses to delete an owner otherwise.
            </calcite-input-message>
          )}
        </div>
      )}
      <TextField
        label={`Type ${member.username} to confirm`}
        testId="member-delete-confirm-text"
        value={typed}
        invalid={tried && !confirmed}
        onChange={setTyped}
      />
      {remove.isError && <ErrorNotice error={remove.error} testId="member-delete-error" title="Not deleted" scale="s" />}
      <FormButtons
        label="Delete member"
        testId="member-delete-submit"
        icon="trash"
        kind="danger"
        busy={remove.isPending}
        disabled={!s || !confirmed}
        cancelTestId="member-delete-cancel"
        onCancel={onCancel}
      />
    </form>
  );
}
