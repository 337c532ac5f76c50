// What a list shows when it has nothing to show: an icon, a sentence and, where one helps,
// the button that changes that (clear the filters, load the members).
import type { ReactNode } from "react";
import "./EmptyState.css";

interface Props {
  icon: HTMLCalciteIconElement["icon"];
  testId?: string;
  /** The sentence (a <p>) and any buttons. */
  children: ReactNode;
}

export function EmptyState({ icon, testId, children }: Props) {
  return (
    <div className="empty-state" data-testid={testId}>
      <calcite-icon icon={icon} scale="l" aria-hidden="true" />
      {children}
    </div>
  );
}
