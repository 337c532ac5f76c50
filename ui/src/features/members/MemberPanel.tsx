// The member panel: every field of one member, read from the cache. Text the member or an
// administrator wrote (names, description) is rendered as plain text, never as markup.
import type { Member } from "../../platform/backend";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

interface Props {
  member: Member;
  onClose: () => void;
}

export function MemberPanel({ member, onClose }: Props) {
  const fields: [string, string][] = [
    ["Username", member.username],
    ["Email", member.email],
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
      </calcite-panel>
    </aside>
  );
}
