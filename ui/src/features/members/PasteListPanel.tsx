// "Paste a list": usernames, emails or identity-provider usernames pasted (or loaded from a
// text or CSV file) are matched to the organization's members as they are typed; the ones
// that match no member are listed. The matches can then be selected in the table, or added to
// a group (through the bulk panel, so the change is previewed first).
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { ListMatch } from "../../platform/backend";
import { FormField } from "../../components/FormField";
import { groupsQuery, listMatchQuery } from "../../platform/queries";
import { parseList } from "./pasteList";
import "./panel.css";

const numberFormat = new Intl.NumberFormat();
const NO_MATCH: ListMatch = { usernames: [], unmatched: [], byUsername: 0, byEmail: 0, byIdp: 0 };
/** Unmatched entries drawn (the count covers them all). */
const LIST_LIMIT = 200;

function plural(n: number, one: string, many: string): string {
  return `${numberFormat.format(n)} ${n === 1 ? one : many}`;
}

interface Props {
  onClose: () => void;
  /** Replaces the table's selection with these members. */
  onSelect: (usernames: string[]) => void;
  /** Opens the bulk panel on these members, adding them to `group`. */
  onAddToGroup: (usernames: string[], group: string) => void;
}

export function PasteListPanel({ onClose, onSelect, onAddToGroup }: Props) {
  const groups = useQuery(groupsQuery());
  const [text, setText] = useState("");
  const [group, setGroup] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const entries = useMemo(() => parseList(text), [text]);
  // Matched by the Rust side, where the members are; the last answer stays while the next
  // is read.
  const answer = useQuery({ ...listMatchQuery(entries), placeholderData: keepPreviousData });
  const match = answer.data ?? NO_MATCH;
  const found = match.usernames.length;
  // The buttons act on the answer for the entries as they are now.
  const current = !answer.isPlaceholderData && answer.data !== undefined;
  const how = [
    match.byUsername > 0 && `${numberFormat.format(match.byUsername)} by username`,
    match.byEmail > 0 && `${numberFormat.format(match.byEmail)} by email`,
    match.byIdp > 0 && `${numberFormat.format(match.byIdp)} by IdP username`,
  ].filter(Boolean);

  const load = (file: File | undefined) => {
    if (!file) return;
    setFileError(null);
    file.text().then(setText, (e: unknown) => { setFileError(`${file.name} could not be read: ${String(e)}`); });
  };

  return (
    <aside className="member-panel" aria-label="Paste a list of members" data-testid="paste-panel">
      <calcite-panel heading="Paste a list" description="Usernames, emails or IdP usernames" closable oncalcitePanelClose={onClose}>
        <div className="bulk-form">
          <FormField label="One per line, or separated by commas, semicolons or spaces">
            <calcite-text-area
              rows={8}
              value={text}
              placeholder={"jsmith\nann.lee@example.com\nCy.Smith@acme.org"}
              data-testid="paste-text"
              oncalciteTextAreaInput={(e) => { setText(e.target.value); }}
            />
          </FormField>
          <label className="paste-file">
            <span>Or load a text or CSV file: </span>
            <input
              type="file"
              accept=".txt,.csv,text/plain,text/csv"
              data-testid="paste-file"
              onChange={(e) => { load(e.target.files?.[0]); }}
            />
          </label>
          {fileError && (
            <calcite-notice open kind="danger" scale="s" icon="exclamation-mark-triangle">
              <div slot="message">{fileError}</div>
            </calcite-notice>
          )}
          <p className="bulk-form__summary" data-testid="paste-summary" aria-live="polite">
            {entries.length === 0
              ? "Paste usernames, emails or IdP usernames."
              : `${plural(entries.length, "entry", "entries")}: ${plural(found, "member", "members")} found${how.length > 0 ? ` (${how.join(", ")})` : ""}${
                  match.unmatched.length > 0 ? `; ${plural(match.unmatched.length, "entry matches", "entries match")} no member.` : "."
                }`}
          </p>
          {match.unmatched.length > 0 && (
            <ul className="paste-unmatched" aria-label="Entries that match no member" data-testid="paste-unmatched">
              {match.unmatched.slice(0, LIST_LIMIT).map((u) => (
                <li key={u}>{u}</li>
              ))}
              {match.unmatched.length > LIST_LIMIT && <li>{`and ${numberFormat.format(match.unmatched.length - LIST_LIMIT)} more`}</li>}
            </ul>
          )}
          <div className="bulk-form__actions">
            <calcite-button icon-start="check-square" data-testid="paste-select" disabled={found === 0 || !current || undefined} onClick={() => { onSelect(match.usernames); }}>
              {found > 0 ? `Select ${plural(found, "member", "members")}` : "Select"}
            </calcite-button>
          </div>
          <FormField label="Or add them to a group (previewed first)">
            <calcite-select
              label="Group"
              data-testid="paste-group"
              oncalciteSelectChange={(e) => { setGroup(e.target.value); }}
            >
              <calcite-option value="" selected={group === ""}>
                Choose a group
              </calcite-option>
              {(groups.data ?? []).map((g) => (
                <calcite-option key={g.id} value={g.id} selected={group === g.id}>
                  {g.title}
                </calcite-option>
              ))}
            </calcite-select>
          </FormField>
          <div className="bulk-form__actions">
            <calcite-button
              appearance="outline"
              icon-start="group"
              data-testid="paste-add-to-group"
              disabled={found === 0 || !current || group === "" || undefined}
              onClick={() => { onAddToGroup(match.usernames, group); }}
            >
              Add to the group…
            </calcite-button>
          </div>
        </div>
      </calcite-panel>
    </aside>
  );
}
