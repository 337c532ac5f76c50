// The buttons under a member form (edit, create, delete): the submit button, which spins
// while the form is being sent, and beside it the way out (Cancel, Close).
interface Props {
  /** The submit button's text and test id. */
  label: string;
  testId: string;
  icon?: HTMLCalciteButtonElement["iconStart"];
  kind?: HTMLCalciteButtonElement["kind"];
  /** The form is being sent. */
  busy: boolean;
  disabled?: boolean;
  cancelLabel?: string;
  cancelTestId: string;
  onCancel: () => void;
}

export function FormButtons({ label, testId, icon, kind, busy, disabled, cancelLabel = "Cancel", cancelTestId, onCancel }: Props) {
  return (
    <div className="member-form__buttons">
      <calcite-button
        type="submit"
        kind={kind}
        icon-start={icon}
        loading={busy || undefined}
        disabled={disabled === true || undefined}
        data-testid={testId}
      >
        {label}
      </calcite-button>
      <calcite-button appearance="outline" kind="neutral" data-testid={cancelTestId} onClick={onCancel}>
        {cancelLabel}
      </calcite-button>
    </div>
  );
}
