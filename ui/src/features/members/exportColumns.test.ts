import { describe, expect, it } from "vitest";
import { exportColumns } from "./exportColumns";

describe("exportColumns", () => {
  it("always writes what the import needs, then the columns the table shows", () => {
    expect(exportColumns({ fullName: false, lastLogin: false, created: false, licenses: false, provider: false })).toEqual([
      "username",
      "firstName",
      "lastName",
      "email",
      "role",
      "userType",
      "status",
      "groups",
    ]);
    expect(exportColumns({})).toContain("provider");
  });
});
