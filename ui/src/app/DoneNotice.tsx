// What just succeeded, in one line, until the person closes it (the counterpart of
// ErrorNotice). Nothing is shown when there is no message.
interface Props {
  message: string | null;
  testId: string;
  onClose: () => void;
}

export function DoneNotice({ message, testId, onClose }: Props) {
  if (message === null) return null;
  return (
    <calcite-notice open closable kind="success" icon="check-circle" scale="s" data-testid={testId}
      oncalciteNoticeClose={onClose}>
      <div slot="message">{message}</div>
    </calcite-notice>
  );
}
