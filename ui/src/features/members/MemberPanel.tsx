// The member panel: every field of one member, read from the cache. Text the member or an
// administrator wrote (names, description) is rendered as plain text, never as markup.
import { useState } from "react";
import type { Member } from "../../platform/backend";
import { MemberForm } from "./MemberForm";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

interface Props {
  member: Member;
  onClose: () => void;
}

export function MemberPanel({ member, onClose }: Props) {
  const [editing, setEditing] = useState(false);
  const [savedNotice, setSavedNotice] = useState(false);
  const fields: [string, string][] = [
    ["Username", member.username],
    ["Email", member.email],
    ["Profile visible to", { private: "Only this member", org: "The organization", public: "Everyone" }[member.access] ?? member.access],
    ["Role", member.roleName],
    ["User type", member.userTypeName],
    ["Status", member.disabled ? "Disabled" : "Active"],
    ["Last login", member.lastLogin === null ? "Never" : dateTime.format(member.lastLogin)],
    ["Created", member.created === null ? "" : dateTime.format(member.created)],
    ["Sign-in", member.provider === "enterprise" ? "Identity provider (SAML)" : "ArcGIS account"],
  ];
  return (
    <aside className="member-panel" aria-label={`Member ${member.username}`} data-testid="member-panel">
      <calcite-panel
        heading={member.fullName || member.username}
        description={member.username}
        closable
        oncalcitePanelClose={onClose}
      >
        {editing ? (
          <MemberForm
            member={member}
            onDone={(saved) => {
              setEditing(false);
              setSavedNotice(saved !== null);
            }}
          />
        ) : (
          <>
        {savedNotice && (
          <calcite-notice open closable kind="success" icon="check-circle" scale="s" data-testid="member-saved">
            <div slot="message">Saved. The portal now holds these values.</div>
          </calcite-notice>
        )}
        <calcite-button
          slot="header-actions-end"
          appearance="transparent"
          icon-start="pencil"
          data-testid="member-edit"
          onClick={() => {
            setSavedNotice(false);
            setEditing(true);
          }}
        >
          Edit
        </calcite-button>
        <dl className="member-panel__fields">
          {fields.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd data-testid={`member-field-${name.toLowerCase().replace(/\W+/g, "-")}`}>{value}</dd>
            </div>
          ))}
        </dl>
        <h3 className="member-panel__heading">Description</h3>
        <p className="member-panel__description" data-testid="member-description">
          {member.description || "No description."}
        </p>
          </>
        )}
      </calcite-panel>
    </aside>
  );
}
