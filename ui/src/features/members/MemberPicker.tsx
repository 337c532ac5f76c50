// Finding a member among the cached ones as you type (two letters or more; the Rust side
// matches every word in the username, full name or email): the groups view adds the one
// picked to a group, the delete form gives them a departing member's content.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { Member } from "../../platform/backend";
import { TextField } from "../../components/FormField";
import { memberPageQuery, type MemberQuery } from "../../platform/queries";
import { emptyFilter, toQuery } from "./filter";
import "./MemberPicker.css";

const SUGGESTIONS = 8;
const BY_USERNAME = [{ id: "username", desc: false }];

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
  const [text, setText] = useState("");
  const needle = text.trim();
  const query: MemberQuery = useMemo(() => toQuery({ ...emptyFilter, text: needle }, BY_USERNAME, 0), [needle]);
  // The first page of matches (100), by username; those excluded are dropped from it.
  const matches = useQuery({
    ...memberPageQuery(query, 0),
    enabled: needle.length >= 2,
    placeholderData: keepPreviousData,
  });
  const suggestions = useMemo(
    () => (needle.length < 2 ? [] : (matches.data?.rows ?? []).filter((m) => !exclude(m)).slice(0, SUGGESTIONS)),
    [needle, matches.data, exclude],
  );
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
      {needle.length >= 2 && suggestions.length === 0 && matches.data && !matches.isPlaceholderData && (
        <p className="member-picker__empty" data-testid={`${testId}-none`}>
          {/* Only the first page of matches is read: those not offered may hide others. */}
          {matches.data.matched <= matches.data.rows.length ? noMatch : "More members match than are offered here: type more of the name."}
        </p>
      )}
    </div>
  );
}
