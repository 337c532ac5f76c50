// Finding a member among the cached ones as you type (two letters or more): the groups view
// adds the one picked to a group, the delete form gives them a departing member's content.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Member } from "../../platform/backend";
import { TextField } from "../../components/FormField";
import { membersQuery } from "../../platform/queries";
import "./MemberPicker.css";

const SUGGESTIONS = 8;

/** The icons pickers use (Calcite's icon names). */
type PickerIcon = "user-plus" | "user" | "plus" | "check";

interface Props {
  label: string;
  placeholder: string;
  icon: PickerIcon;
  /** Members not to offer. */
  exclude: (m: Member) => boolean;
  onPick: (m: Member) => void;
  /** The button on each suggestion. */
  actionLabel: string;
  actionIcon: PickerIcon;
  /** Test ids: `<testId>-text` for the input, `<testId>-suggestion` for the buttons. */
  testId: string;
  /** What to say when nothing matches. */
  noMatch: string;
  disabled?: boolean;
}

export function MemberPicker({
  label,
  placeholder,
  icon,
  exclude,
  onPick,
  actionLabel,
  actionIcon,
  testId,
  noMatch,
  disabled,
}: Props) {
  const everyone = useQuery(membersQuery());
  const [text, setText] = useState("");
  const suggestions = useMemo(() => {
    const needle = text.trim().toLowerCase();
    if (needle.length < 2) return [];
    const out: Member[] = [];
    for (const m of everyone.data ?? []) {
      if (exclude(m)) continue;
      if (m.username.toLowerCase().includes(needle) || m.fullName.toLowerCase().includes(needle)) {
        out.push(m);
        if (out.length === SUGGESTIONS) break;
      }
    }
    return out;
  }, [text, everyone.data, exclude]);
  return (
    <div className="member-picker">
      <TextField label={label} testId={`${testId}-text`} placeholder={placeholder} icon={icon} value={text} onChange={setText} />
      {suggestions.length > 0 && (
        <ul className="member-picker__suggestions">
          {suggestions.map((m) => (
            <li key={m.username}>
              <span>
                <strong>{m.username}</strong> {m.fullName}
              </span>
              <calcite-button
                scale="s"
                icon-start={actionIcon}
                data-testid={`${testId}-suggestion`}
                data-username={m.username}
                disabled={disabled === true || undefined}
                onClick={() => {
                  setText("");
                  onPick(m);
                }}
              >
                {actionLabel}
              </calcite-button>
            </li>
          ))}
        </ul>
      )}
      {text.trim().length >= 2 && suggestions.length === 0 && everyone.data && (
        <p className="member-picker__empty">{noMatch}</p>
      )}
    </div>
  );
}
