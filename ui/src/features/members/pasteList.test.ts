import { describe, expect, it } from "vitest";
import { parseList } from "./pasteList";

describe("parseList", () => {
  it("splits on lines, commas, semicolons and spaces, takes addresses out of angle brackets, and drops quotes and repeats", () => {
    expect(parseList('ann\nBob, "cy";\tdee  ANN\nAnn Lee <ann.lee@example.com>; \'eve\'\n\n')).toEqual([
      "ann",
      "Bob",
      "cy",
      "dee",
      "ann.lee@example.com",
      "eve",
    ]);
    expect(parseList("  \n , ; ")).toEqual([]);
  });
});
