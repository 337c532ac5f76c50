import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { typeInto } from "../testing/calcite";
import { TextField } from "./FormField";

afterEach(cleanup);

describe("TextField", () => {
  it("reports what is typed, and shows help until there is an error, which marks it invalid", () => {
    const onChange = vi.fn();
    const { rerender } = render(
      <TextField label="Credits" testId="credits" value="" help="-1: no limit." onChange={onChange} />,
    );
    typeInto("credits", "12");
    expect(onChange).toHaveBeenCalledWith("12");
    expect(screen.getByTestId("credits").getAttribute("status")).toBe("idle");
    expect(screen.getByTestId("credits-message").textContent).toBe("-1: no limit.");
    expect(screen.getByTestId("credits").closest("calcite-label")?.textContent).toContain("Credits");

    rerender(
      <TextField label="Credits" testId="credits" value="x" help="-1: no limit." error="Enter a number." onChange={onChange} />,
    );
    expect(screen.getByTestId("credits").getAttribute("status")).toBe("invalid");
    const message = screen.getByTestId("credits-message");
    expect(message.textContent).toBe("Enter a number.");
    expect(message.getAttribute("status")).toBe("invalid");
  });
});
