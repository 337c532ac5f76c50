// UI-test helpers for Calcite components in jsdom (their shadow DOM is not rendered there).
import { fireEvent, screen } from "@testing-library/react";

/** Puts `value` in the Calcite input with `data-testid` `testId` and fires the component's
 * input event (`calciteInputTextInput` for calcite-input-text, `calciteInputInput` for
 * calcite-input). */
export function typeInto(testId: string, value: string, event = "calciteInputTextInput"): void {
  const element = screen.getByTestId<HTMLInputElement>(testId);
  element.value = value;
  fireEvent(element, new CustomEvent(event, { bubbles: true }));
}
