// The member edit form: names, email, description, profile visibility, role (custom roles
// too), user type (those that do not allow the role are marked) and credits (where the portal
// manages them). Nothing typed is lost when the portal refuses: the form stays, with the
// portal's reason above the buttons.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SyntheticEvent } from "react";
import { updateMember, type Member } from "../../platform/backend";
import { ErrorNotice } from "../../app/ErrorNotice";
import { FormField, TextField } from "../../components/FormField";
import { useForm } from "../../components/useForm";
import { memberChoicesQuery } from "../../platform/queries";
import { knownMember } from "./cachedMember";
import { FormButtons } from "./FormButtons";
import { RoleTypeFields } from "./RoleTypeFields";
import { problems, toEdit, toForm, visibilityOf, VISIBILITY_NAMES, type MemberFormState } from "./memberForm";
import { membersChanged } from "./membersChanged";

interface Props {
  member: Member;
  onDone: (saved: Member | null) => void;
}

export function MemberForm({ member, onDone }: Props) {
  const queryClient = useQueryClient();
  const choices = useQuery(memberChoicesQuery());
  const { form, set, attempt, text } = useForm<MemberFormState>(() => toForm(member), problems);
  const save = useMutation({
    mutationFn: () => updateMember(toEdit(member.username, form)),
    onSuccess: (saved) => {
      // The panel shows the saved member at once; the rest is read again.
      knownMember(queryClient, saved);
      void membersChanged(queryClient);
      onDone(saved);
    },
  });
  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (attempt() && !save.isPending) save.mutate();
  };
  // Until the organization's choices arrive, the member's own (with no rules to check).
  const roles = choices.data?.roles ?? [{ id: member.roleId, name: member.roleName, baseRole: null, refusedRoles: [] }];
  const userTypes = choices.data?.userTypes ?? [
    { id: member.userType, name: member.userTypeName, baseRole: null, refusedRoles: [] },
  ];

  return (
    <form className="member-form" onSubmit={submit} noValidate data-testid="member-form">
      <TextField label="First name" testId="member-form-first-name" {...text("firstName")} />
      <TextField label="Last name" testId="member-form-last-name" {...text("lastName")} />
      <TextField label="Email" testId="member-form-email" {...text("email")} />
      <FormField label="Description">
        <calcite-text-area
          value={form.description}
          rows={3}
          data-testid="member-form-description"
          oncalciteTextAreaInput={(e) => { set({ description: e.target.value }); }}
        />
      </FormField>
      <FormField label="Who can see the profile">
        <calcite-select
          label="Who can see the profile"
          data-testid="member-form-access"
          oncalciteSelectChange={(e) => {
            const access = visibilityOf(e.target.value);
            if (access) set({ access });
          }}
        >
          {Object.entries(VISIBILITY_NAMES).map(([value, name]) => (
            <calcite-option key={value} value={value} selected={form.access === value}>{name}</calcite-option>
          ))}
        </calcite-select>
      </FormField>
      <RoleTypeFields
        roles={roles}
        userTypes={userTypes}
        chosen={form}
        onChange={set}
        testIdPrefix="member-form"
        current={member.userType}
      />
      {member.credits !== null && (
        <TextField label="Credits" testId="member-form-credits" help="-1: no limit." {...text("credits")} />
      )}
      {save.isError && <ErrorNotice error={save.error} testId="member-form-error" title="Not saved" />}
      <FormButtons
        label="Save"
        testId="member-form-save"
        busy={save.isPending}
        cancelTestId="member-form-cancel"
        onCancel={() => { onDone(null); }}
      />
    </form>
  );
}
