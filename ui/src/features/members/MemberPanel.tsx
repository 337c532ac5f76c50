// The member panel: every field of one member (from the cache), their groups and the group
// invitations they have not answered (from the portal), and what can be done to them: edit,
// disable or enable, delete. Text the member or an administrator wrote (names, description,
// group titles) is rendered as plain text, never as markup.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { bulkChange, type Member } from "../../platform/backend";
import { DoneNotice } from "../../app/DoneNotice";
import { ErrorNotice } from "../../app/ErrorNotice";
import { memberDetailsQuery } from "../../platform/queries";
import { knownMember } from "./cachedMember";
import { DeleteMember } from "./DeleteMember";
import { MemberForm } from "./MemberForm";
import { VISIBILITY_NAMES } from "./memberForm";
import { membersChanged } from "./membersChanged";
import "./panel.css";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const numberFormat = new Intl.NumberFormat();

function dateOf(ms: number | null): string {
  return ms === null ? "?" : date.format(ms);
}

type Mode = "view" | "edit" | "delete";

interface Props {
  member: Member;
  /** The signed-in administrator's username. */
  signedIn: string;
  onClose: () => void;
  onDeleted: (username: string, receiver: string | null) => void;
}

export function MemberPanel({ member, signedIn, onClose, onDeleted }: Props) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>("view");
  const [notice, setNotice] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: async () => {
      const report = await bulkChange(
        { kind: member.disabled ? "enable" : "disable", target: "", usernames: [member.username] },
        () => undefined,
      );
      const item = report.items[0];
      if (item?.outcome !== "done") throw new Error(item?.reason ?? "The portal did not make the change.");
      return !member.disabled;
    },
    onMutate: () => { setNotice(null); },
    onSuccess: (disabled) => {
      knownMember(queryClient, { ...member, disabled });
      void membersChanged(queryClient);
      setNotice(disabled ? "Disabled: the member can no longer sign in." : "Enabled: the member can sign in again.");
    },
  });
  /** Edit or Delete…: the last notice is about the view being left, so it goes. */
  const leaveView = (next: Mode) => {
    setNotice(null);
    setMode(next);
  };
  const fields: [string, string][] = [
    ["Username", member.username],
    ["Email", member.email],
    ["Profile visible to", VISIBILITY_NAMES[member.access]],
    ["Role", member.roleName],
    ["User type", member.userTypeName],
    ["Status", member.disabled ? "Disabled" : "Active"],
    ["Last login", member.lastLogin === null ? "Never" : dateTime.format(member.lastLogin)],
    ["Created", member.created === null ? "" : dateTime.format(member.created)],
    ["Sign-in", member.provider === "enterprise" ? "Identity provider (SAML)" : "ArcGIS account"],
  ];
  if (member.credits !== null) {
    fields.push(["Credits", member.credits === -1 ? "No limit" : numberFormat.format(member.credits)]);
  }
  return (
    <aside className="member-panel" aria-label={`Member ${member.username}`} data-testid="member-panel">
      <calcite-panel
        heading={member.fullName || member.username}
        description={member.username}
        closable
        oncalcitePanelClose={onClose}
      >
        {mode === "edit" && (
          <MemberForm
            member={member}
            onDone={(saved) => {
              setMode("view");
              setNotice(saved ? "Saved. The portal now holds these values." : null);
            }}
          />
        )}
        {mode === "delete" && (
          <DeleteMember
            member={member}
            signedIn={signedIn}
            onCancel={() => { setMode("view"); }}
            onDeleted={onDeleted}
          />
        )}
        {mode === "view" && (
          <>
            <DoneNotice message={notice} testId="member-saved" onClose={() => { setNotice(null); }} />
            {toggle.isError && (
              <ErrorNotice
                error={toggle.error}
                testId="member-toggle-error"
                title={member.disabled ? "Not enabled" : "Not disabled"}
                scale="s"
              />
            )}
            <calcite-button
              slot="header-actions-end"
              appearance="transparent"
              icon-start="pencil"
              data-testid="member-edit"
              onClick={() => { leaveView("edit"); }}
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
            <MemberDetails username={member.username} />
            <div className="member-panel__actions">
              <calcite-button
                appearance="outline"
                kind="neutral"
                icon-start={member.disabled ? "unlock" : "lock"}
                loading={toggle.isPending || undefined}
                data-testid="member-toggle-disabled"
                onClick={() => { toggle.mutate(); }}
              >
                {member.disabled ? "Enable" : "Disable"}
              </calcite-button>
              <calcite-button
                appearance="outline"
                kind="danger"
                icon-start="trash"
                data-testid="member-delete-open"
                onClick={() => { leaveView("delete"); }}
              >
                Delete…
              </calcite-button>
            </div>
          </>
        )}
      </calcite-panel>
    </aside>
  );
}

/** The member's groups, licenses and the invitations to groups they have not answered. */
function MemberDetails({ username }: { username: string }) {
  const details = useQuery(memberDetailsQuery(username));
  const d = details.data;
  return (
    <section className="member-panel__details" aria-label="Groups, licenses and invitations">
      <h3 className="member-panel__heading">{d ? `Groups (${numberFormat.format(d.groups.length)})` : "Groups"}</h3>
      {details.isPending && <calcite-loader label="Reading the member's groups" scale="s" inline />}
      {details.isError && (
        <ErrorNotice
          error={details.error}
          testId="member-details-error"
          title="Groups and invitations could not be read"
          onRetry={() => void details.refetch()}
          scale="s"
        />
      )}
      {d?.groups.length === 0 && <p className="member-panel__none">In no group.</p>}
      {d && d.groups.length > 0 && (
        <ul className="member-panel__list" data-testid="member-groups">
          {d.groups.map((g) => (
            <li key={g.id} data-testid="member-group" data-group-id={g.id}>
              <span>{g.title}</span>
              {g.owner && <calcite-chip scale="s" label="Owner" appearance="outline-fill">Owner</calcite-chip>}
            </li>
          ))}
        </ul>
      )}
      <h3 className="member-panel__heading">
        {d ? `Licenses (${numberFormat.format(d.licenses.length)})` : "Licenses"}
      </h3>
      {d?.licenses.length === 0 && <p className="member-panel__none">No add-on license or app bundle.</p>}
      {d && d.licenses.length > 0 && (
        <ul className="member-panel__list" data-testid="member-licenses">
          {d.licenses.map((l) => (
            <li key={l.key} data-testid="member-license" data-key={l.key}>
              <span>{l.name}</span>
              <span className="member-panel__meta">
                {l.key.startsWith("bundle/") || l.key.startsWith("type/")
                  ? l.group
                  : `${l.group} · last used ${l.lastUsed === null ? "never" : dateOf(l.lastUsed)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3 className="member-panel__heading">Open group invitations</h3>
      {d?.invitations.length === 0 && <p className="member-panel__none">None.</p>}
      {d && d.invitations.length > 0 && (
        <ul className="member-panel__list" data-testid="member-invitations">
          {d.invitations.map((i) => (
            <li key={i.id} data-testid="member-invitation">
              <span>{i.groupTitle}</span>
              <span className="member-panel__meta">
                {`from ${i.from || "unknown"} · ${dateOf(i.received)} · expires ${dateOf(i.expiration)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
