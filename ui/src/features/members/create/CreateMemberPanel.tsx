// Create a member, who exists at once: with a password, or (ArcGIS Online) emailed a link to set one. The
// username is checked against the rules as it is typed and against the portal before the
// form is sent; the password policy shows rule by rule; user types that do not allow the
// chosen role say so. A refusal keeps everything typed.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type SyntheticEvent } from "react";
import {
  checkUsername,
  createMember,
  type Member,
  type PortalKind,
} from "../../../platform/backend";
import { ErrorNotice } from "../../../app/ErrorNotice";
import { FormField, TextField } from "../../../components/FormField";
import { useForm } from "../../../components/useForm";
import { groupsQuery, memberChoicesQuery, queryKeys } from "../../../platform/queries";
import { FormButtons } from "../FormButtons";
import { RoleTypeFields } from "../RoleTypeFields";
import "../panel.css";
import { passwordRules, usernameProblem } from "../rules";
import { emptyNewMember, problems, toNewMember, type Mode, type NewMemberState } from "./newMember";
import { membersChanged } from "../membersChanged";

interface Props {
  portalKind: PortalKind;
  onClose: () => void;
  /** A member created with a password, to open in the member panel. */
  onCreated: (member: Member) => void;
}

/** The text typed, once typing pauses. */
function useSettled(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => { setSettled(value); }, ms);
    return () => { clearTimeout(timer); };
  }, [value, ms]);
  return settled;
}

export function CreateMemberPanel({ portalKind, onClose, onCreated }: Props) {
  const queryClient = useQueryClient();
  const choices = useQuery(memberChoicesQuery());
  const groups = useQuery(groupsQuery());
  // ArcGIS Enterprise creates built-in members with a password only.
  const canEmail = portalKind !== "enterprise";
  const roles = choices.data?.roles ?? [];
  const userTypes = choices.data?.userTypes ?? [];
  const { form, setForm, set, show, attempt, setTried, text } = useForm<NewMemberState>(emptyNewMember, (f) =>
    problems(f, roles, userTypes),
  );
  const [emailed, setEmailed] = useState<{ username: string; email: string } | null>(null);
  const username = useSettled(form.username.trim(), 400);
  const localProblem = usernameProblem(username);
  const availability = useQuery({
    queryKey: ["username", username],
    queryFn: () => checkUsername(username),
    enabled: username !== "" && localProblem === null,
    staleTime: 30_000,
  });
  const taken = availability.data?.available === false && availability.data.username === form.username.trim();
  const create = useMutation({
    mutationFn: () => createMember(toNewMember(form)),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.invitations });
      queryClient.removeQueries({ queryKey: ["username"] });
      const member = created.member;
      void membersChanged(queryClient);
      if (created.emailed) {
        // Stay on the form, ready for the next one: the new row is in the table already.
        setEmailed({ username: member.username, email: member.email });
        setForm((f) => ({ ...emptyNewMember, mode: f.mode, roleId: f.roleId, userType: f.userType }));
        setTried(false);
      } else {
        onCreated(member);
      }
    },
  });
  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    setEmailed(null);
    if (attempt() && !taken && !create.isPending) create.mutate();
  };
  const invalid = (field: keyof NewMemberState) => show(field) !== undefined;

  return (
    <aside className="member-panel" aria-label="New member" data-testid="create-panel">
      <calcite-panel heading="New member" description="Create an account, with a password or an emailed link to set one" closable oncalcitePanelClose={onClose}>
        <form className="member-form" onSubmit={submit} noValidate data-testid="create-form">
          {emailed && (
            <calcite-notice open kind="success" icon="envelope" scale="s" data-testid="create-emailed">
              <div slot="message">
                {`${emailed.username} is a member now. A link to set the password went to ${emailed.email}.`}
              </div>
            </calcite-notice>
          )}
          {canEmail && (
            <calcite-segmented-control
              label="How the member gets access"
              width="full"
              data-testid="create-mode"
              oncalciteSegmentedControlChange={(e) => { set({ mode: e.target.value as Mode }); }}
            >
              <calcite-segmented-control-item value="password" checked={form.mode === "password"} data-testid="create-mode-password">
                Set a password
              </calcite-segmented-control-item>
              <calcite-segmented-control-item value="email" checked={form.mode === "email"} data-testid="create-mode-email">
                Email a link to set it
              </calcite-segmented-control-item>
            </calcite-segmented-control>
          )}
          <TextField
            label="Username"
            testId="create-username"
            value={form.username}
            autocomplete="off"
            invalid={invalid("username") || taken || (form.username.trim() !== "" && localProblem !== null && username === form.username.trim())}
            onChange={(value) => { set({ username: value }); }}
          >
            <UsernameStatus
              typed={form.username.trim()}
              settled={username}
              problem={localProblem ?? show("username") ?? null}
              checking={availability.isFetching}
              available={availability.data?.username === form.username.trim() ? availability.data.available : undefined}
              suggestion={availability.data?.suggestion ?? null}
              failed={availability.isError}
              onUse={(s) => { set({ username: s }); }}
            />
          </TextField>
          {form.mode === "password" && (
            <TextField
              label="Password"
              testId="create-password"
              type="password"
              value={form.password}
              autocomplete="new-password"
              invalid={invalid("password")}
              onChange={(password) => { set({ password }); }}
            >
              <ul className="create-policy" data-testid="create-password-rules">
                {passwordRules(form.username.trim(), form.password).map((r) => (
                  <li key={r.rule} className={r.met ? "create-policy--met" : ""}>
                    <calcite-icon scale="s" icon={r.met ? "check-circle" : "circle"} aria-hidden="true" />
                    {r.rule}
                    <span className="visually-hidden">{r.met ? " (met)" : " (not met)"}</span>
                  </li>
                ))}
              </ul>
            </TextField>
          )}
          <div className="create-names">
            <TextField label="First name" testId="create-first-name" {...text("firstName")} />
            <TextField label="Last name" testId="create-last-name" {...text("lastName")} />
          </div>
          <TextField label="Email" testId="create-email" type="email" {...text("email")} />
          <RoleTypeFields
            roles={roles}
            userTypes={userTypes}
            chosen={form}
            onChange={set}
            testIdPrefix="create"
            invalid={invalid("userType")}
          />
          <FormField label="Groups">
            <calcite-combobox
              label="Groups"
              placeholder={groups.isPending ? "Reading groups…" : "No groups"}
              selection-mode="multiple"
              data-testid="create-groups"
              oncalciteComboboxChange={(e) => {
                const items = e.target.selectedItems as { value: string }[];
                set({ groups: items.map((i) => i.value) });
              }}
            >
              {(groups.data ?? []).map((g) => (
                <calcite-combobox-item key={g.id} value={g.id} heading={g.title} selected={form.groups.includes(g.id) || undefined} />
              ))}
            </calcite-combobox>
          </FormField>
          {canEmail && (
            <TextField label="Credits" testId="create-credits" placeholder="Organization default" {...text("credits")} />
          )}
          {create.isError && (
            <ErrorNotice
              error={create.error}
              testId="create-error"
              title="Not created"
            />
          )}
          <FormButtons
            label={form.mode === "email" ? "Create and email" : "Create member"}
            testId="create-submit"
            icon={form.mode === "email" ? "envelope" : "user-plus"}
            busy={create.isPending}
            cancelLabel="Close"
            cancelTestId="create-cancel"
            onCancel={onClose}
          />
        </form>
      </calcite-panel>
    </aside>
  );
}

function UsernameStatus(props: {
  typed: string;
  settled: string;
  problem: string | null;
  checking: boolean;
  available: boolean | null | undefined;
  suggestion: string | null;
  failed: boolean;
  onUse: (name: string) => void;
}) {
  const { typed, settled, problem, checking, available, suggestion, failed, onUse } = props;
  if (typed === "") return null;
  if (typed !== settled || checking) {
    return <calcite-input-message icon="clock" data-testid="create-username-status">Checking…</calcite-input-message>;
  }
  if (problem) {
    return <calcite-input-message status="invalid" data-testid="create-username-status">{problem}</calcite-input-message>;
  }
  if (failed) {
    return (
      <calcite-input-message data-testid="create-username-status">
        Could not check this username now; the portal will when the form is sent.
      </calcite-input-message>
    );
  }
  if (available === true) {
    return <calcite-input-message status="valid" icon="check" data-testid="create-username-status">Available</calcite-input-message>;
  }
  if (available === false) {
    return (
      <calcite-input-message status="invalid" data-testid="create-username-status">
        {suggestion ? `Taken. ${suggestion} is free.` : "Taken."}
        {suggestion && (
          <calcite-button appearance="transparent" scale="s" data-testid="create-username-use" onClick={() => { onUse(suggestion); }}>
            {`Use ${suggestion}`}
          </calcite-button>
        )}
      </calcite-input-message>
    );
  }
  return null;
}
