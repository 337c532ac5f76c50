import { describe, expect, it } from "vitest";
import { matchList, parseList } from "./pasteList";
import { testMember } from "./testMembers";

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

describe("matchList", () => {
  const members = [
    testMember("ann", { email: "ann@example.com" }),
    testMember("bob", { email: "shared@example.com" }),
    testMember("bob2", { email: "Shared@example.com" }),
    testMember("cy_acme", { email: "cy@example.com", idpUsername: "Cy.Smith@acme.org" }),
  ];

  it("matches usernames, then emails (every member with it), then IdP usernames, ignoring case", () => {
    const m = matchList(["ANN", "shared@example.com", "cy.smith@ACME.org", "ann@example.com", "nobody", "ghost@example.com"], members);
    expect(m.usernames).toEqual(["ann", "bob", "bob2", "cy_acme"]);
    expect(m.unmatched).toEqual(["nobody", "ghost@example.com"]);
    expect([m.byUsername, m.byEmail, m.byIdp]).toEqual([1, 2, 1]);
  });
});
