// The forms' rules against the table of cases the Rust tests read too
// (tests/fixtures/form-rules.json): the same input gets the same verdict on both sides.
import { describe, expect, it } from "vitest";
import tableText from "../../../../tests/fixtures/form-rules.json?raw";
import { emailProblem, passwordRules, usernameProblem } from "./rules";

interface Case {
  input?: string;
  username?: string;
  password?: string;
  met?: boolean[];
  problem: string | null;
}

const table = JSON.parse(tableText) as Record<"username" | "password" | "email", Case[]>;

describe("the member forms' rules, from the shared table", () => {
  it("judge usernames as console-core does", () => {
    expect(table.username.length).toBeGreaterThanOrEqual(5);
    for (const c of table.username) expect([c.input, usernameProblem(c.input ?? "")]).toEqual([c.input, c.problem]);
  });

  it("list the password policy rule by rule, met exactly when console-core finds no problem", () => {
    expect(table.password.length).toBeGreaterThanOrEqual(5);
    for (const c of table.password) {
      const met = passwordRules(c.username ?? "", c.password ?? "").map((r) => r.met);
      expect([c.password, met]).toEqual([c.password, c.met]);
      expect([c.password, met.every(Boolean)]).toEqual([c.password, c.problem === null]);
    }
  });

  it("judge email addresses as console-core does", () => {
    expect(table.email.length).toBeGreaterThanOrEqual(5);
    for (const c of table.email) expect([c.input, emailProblem(c.input ?? "")]).toEqual([c.input, c.problem]);
  });
});
