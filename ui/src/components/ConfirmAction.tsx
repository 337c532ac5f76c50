// A row's action that cannot be undone (withdraw an invitation, remove a member from a group),
// asked twice: first a trash button; once it is pressed, the action again to confirm, beside
// Keep. Test ids: `<testId>` on the first button, `<testId>-confirm` and `<testId>-keep` on
// the pair.
interface Props {
  /** The action's word, on the first button and on the confirming one ("Withdraw"). */
  action: string;
  /** The first button's accessible label, naming the row ("Withdraw the invitation of amy"). */
  label: string;
  testId: string;
  /** This row is the one being confirmed. */
  confirming: boolean;
  /** A change is under way: the buttons that act wait for it. */
  busy: boolean;
  onAsk: () => void;
  onConfirm: () => void;
  onKeep: () => void;
}

export function ConfirmAction({ action, label, testId, confirming, busy, onAsk, onConfirm, onKeep }: Props) {
  if (!confirming) {
    return (
      <calcite-button
        scale="s"
        appearance="transparent"
        kind="danger"
        icon-start="trash"
        data-testid={testId}
        disabled={busy || undefined}
        label={label}
        onClick={onAsk}
      >
        {action}
      </calcite-button>
    );
  }
  return (
    <>
      <calcite-button scale="s" kind="danger" data-testid={`${testId}-confirm`} disabled={busy || undefined} onClick={onConfirm}>
        {action}
      </calcite-button>
      <calcite-button scale="s" appearance="transparent" kind="neutral" data-testid={`${testId}-keep`} onClick={onKeep}>
        Keep
      </calcite-button>
    </>
  );
}
