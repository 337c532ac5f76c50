import { describe, expect, it } from "vitest";
import { dayStart } from "../members/filter";
import { fieldLabel, historyFilter } from "./history";

describe("historyFilter", () => {
  it("sends only what is filled in, and includes the last day", () => {
    expect(historyFilter({ member: "  ", admin: "", field: "", job: null, from: "", to: "" }, dayStart)).toEqual({
      member: null,
      admin: null,
      field: null,
      job: null,
      from: null,
      to: null,
      limit: null,
    });
    const f = historyFilter({ member: " ann ", admin: "boss", field: "group", job: 7, from: "2026-11-02", to: "2026-11-03" }, dayStart);
    expect(f.member).toBe("ann");
    expect(f.admin).toBe("boss");
    expect(f.field).toBe("group");
    expect(f.job).toBe(7);
    expect(f.from).toBe(new Date(2026, 10, 2).getTime());
    expect(f.to).toBe(new Date(2026, 10, 4).getTime());
  });

  it("ignores a date that is not one", () => {
    expect(historyFilter({ member: "", admin: "", field: "", job: null, from: "2026-02-30", to: "soon" }, dayStart)).toMatchObject({
      from: null,
      to: null,
    });
  });
});

describe("fieldLabel", () => {
  it("names fields and field families", () => {
    expect(fieldLabel("userType")).toBe("User type");
    expect(fieldLabel("group:0123")).toBe("Group");
    expect(fieldLabel("license:abc")).toBe("License");
    expect(fieldLabel("disabled")).toBe("Status");
    expect(fieldLabel("somethingNew")).toBe("somethingNew");
  });
});
