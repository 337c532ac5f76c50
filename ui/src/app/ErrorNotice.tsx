// A failure as every screen shows it: what happened (the backend's message, for people) and
// what to do (from the error's code), with "Try again" where a retry makes sense.
import { adviceFor, toAppError } from "../platform/errors";

interface Props {
  error: unknown;
  testId: string;
  title?: string;
  scale?: "s" | "m";
  /** Replaces the advice the error's code gives. */
  advice?: string;
  onRetry?: () => void;
}

export function ErrorNotice({ error, testId, title, scale, advice, onRetry }: Props) {
  const e = toAppError(error);
  return (
    <calcite-notice open kind="danger" icon="exclamation-mark-triangle" scale={scale} data-testid={testId}>
      {title && <div slot="title">{title}</div>}
      <div slot="message">
        {e.message} {advice ?? adviceFor(e.code)}
      </div>
      {onRetry && (
        <calcite-button slot="link" appearance="transparent" onClick={onRetry}>
          Try again
        </calcite-button>
      )}
    </calcite-notice>
  );
}
