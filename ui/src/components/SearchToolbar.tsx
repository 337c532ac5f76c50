// The bar above a list (members, invitations, groups): the filter text box, then the page's
// other filters and buttons, and under them a status line with the count of rows shown and
// whatever else the page reports there (when the list was read, the selection).
import type { ReactNode } from "react";
import "./SearchToolbar.css";

interface Props {
  /** The text box's accessible label, placeholder, test id, value and change. */
  label: string;
  placeholder: string;
  testId: string;
  text: string;
  onText: (text: string) => void;
  /** The count line ("12 of 500 members"), announced politely as it changes. */
  count: string;
  countTestId: string;
  /** The other filters and buttons, after the text box. */
  children?: ReactNode;
  /** More of the status line, after the count. */
  status?: ReactNode;
  /** "bar": across a page, on its own background; "panel": in a narrow side column. */
  variant?: "bar" | "panel";
}

export function SearchToolbar({
  label,
  placeholder,
  testId,
  text,
  onText,
  count,
  countTestId,
  children,
  status,
  variant = "bar",
}: Props) {
  return (
    <div className={`search-toolbar search-toolbar--${variant}`}>
      <div className="search-toolbar__controls" role="search">
        <calcite-input
          className="search-toolbar__text"
          type="search"
          icon="search"
          clearable
          placeholder={placeholder}
          label={label}
          data-testid={testId}
          value={text}
          oncalciteInputInput={(e) => { onText(e.target.value); }}
        />
        {children}
      </div>
      <div className="search-toolbar__status">
        <span className="search-toolbar__count" data-testid={countTestId} aria-live="polite">
          {count}
        </span>
        {status}
      </div>
    </div>
  );
}
