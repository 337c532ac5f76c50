import { describe, expect, it } from "vitest";
import { AppError, toAppError } from "./errors";

describe("toAppError", () => {
  it("keeps the code and message of a command error from Rust", () => {
    const error = toAppError({ code: "forbidden", message: "Only administrators can do this." });
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("forbidden");
    expect(error.message).toBe("Only administrators can do this.");
  });

  it("treats Tauri's own string rejections as internal errors", () => {
    const error = toAppError("Command app_info not allowed by ACL");
    expect(error.code).toBe("internal");
    expect(error.message).toBe("Command app_info not allowed by ACL");
  });

  it("does not trust an object whose code is outside the closed set", () => {
    const error = toAppError({ code: "teapot", message: "I am a teapot" });
    expect(error.code).toBe("internal");
  });
});
