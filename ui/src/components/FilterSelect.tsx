// A filter's select (a members filter, the History view's operation): its value is always one
// of its choices, so the change is typed as one.

/** A select's choices, in order: the value and what the option says. */
export type Choices<V extends string> = readonly (readonly [V, string])[];

export function FilterSelect<V extends string>(props: {
  label: string;
  testId: string;
  value: V;
  choices: Choices<V>;
  onChange: (value: V) => void;
}) {
  const { label, testId, value, choices, onChange } = props;
  return (
    <calcite-select label={label} data-testid={testId} oncalciteSelectChange={(e) => { onChange(e.target.value as V); }}>
      {choices.map(([v, name]) => (
        <calcite-option key={v} value={v} selected={value === v}>
          {name}
        </calcite-option>
      ))}
    </calcite-select>
  );
}
