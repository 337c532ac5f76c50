// One field of a form: its label, the control, and under it either what is wrong (after a
// submit was tried) or a line of help. `FormField` takes any control (a select, a text area,
// a combobox); `TextField` is the common case, a Calcite text input whose test id is stable
// (`testId` on the input, `<testId>-message` on the line under it).
import type { ReactNode } from "react";

interface FieldProps {
  label: ReactNode;
  /** What is wrong, shown under the control as invalid; nothing when it is fine. */
  error?: string | null;
  /** A line of help, shown when there is no error. */
  help?: ReactNode;
  /** The message line's test id. */
  messageTestId?: string;
}

interface FormFieldProps extends FieldProps {
  /** The control, and anything that belongs under it before the message. */
  children: ReactNode;
}

export function FormField({ label, error, help, messageTestId, children }: FormFieldProps) {
  return (
    <calcite-label>
      {label}
      {children}
      {error ? (
        <calcite-input-message status="invalid" data-testid={messageTestId}>
          {error}
        </calcite-input-message>
      ) : help ? (
        <calcite-input-message data-testid={messageTestId}>{help}</calcite-input-message>
      ) : null}
    </calcite-label>
  );
}

interface TextFieldProps extends FieldProps {
  testId: string;
  value: string;
  onChange: (value: string) => void;
  /** Marks the input invalid without a message (e.g. when a checklist under it says why). */
  invalid?: boolean;
  type?: "text" | "email" | "password";
  placeholder?: string;
  autocomplete?: HTMLCalciteInputTextElement["autocomplete"];
  required?: boolean;
  icon?: HTMLCalciteInputTextElement["icon"];
  /** Shown under the input, before the message (a checklist, a status). */
  children?: ReactNode;
}

export function TextField({
  testId,
  value,
  onChange,
  invalid,
  type,
  placeholder,
  autocomplete,
  required,
  icon,
  children,
  ...field
}: TextFieldProps) {
  return (
    <FormField {...field} messageTestId={field.messageTestId ?? `${testId}-message`}>
      <calcite-input-text
        type={type}
        value={value}
        placeholder={placeholder}
        autocomplete={autocomplete}
        required={required === true || undefined}
        icon={icon}
        status={invalid || field.error ? "invalid" : "idle"}
        data-testid={testId}
        oncalciteInputTextInput={(e) => { onChange(e.target.value); }}
      />
      {children}
    </FormField>
  );
}
