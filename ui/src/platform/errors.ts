// The UI's view of a failed command: always `{ code, message }` with a closed set of codes,
// so screens branch on `code` and show `message` to people. Never parse `message`.
import type { CommandError, ErrorCode } from "./bindings";

export type { ErrorCode };

/** A failed backend call, as every screen sees it. */
export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "AppError";
    this.code = code;
  }
}

const CODES: readonly ErrorCode[] = [
  "internal",
  "invalid_input",
  "not_found",
  "network",
  "auth_required",
  "forbidden",
  "portal",
  "cancelled",
  "app_registration",
];

function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.message === "string" &&
    typeof candidate.code === "string" &&
    (CODES as readonly string[]).includes(candidate.code)
  );
}

/**
 * Turns anything a backend call rejected with into an AppError. Tauri itself rejects with a
 * plain string when a command is unknown, denied by the capability, or given bad arguments:
 * those are bugs of ours, so they become `internal`.
 */
export function toAppError(value: unknown): AppError {
  if (value instanceof AppError) return value;
  if (isCommandError(value)) return new AppError(value.code, value.message);
  if (value instanceof Error) return new AppError("internal", value.message);
  if (typeof value === "string") return new AppError("internal", value);
  return new AppError("internal", "Something went wrong inside Memberdesk.");
}

/** What a person can do about an error of this kind. */
export function adviceFor(code: ErrorCode): string {
  switch (code) {
    case "network":
      return "Check the connection to the portal, then try again.";
    case "auth_required":
      return "Your session has ended. Sign in again.";
    case "forbidden":
      return "Your role in this organization does not allow this. Ask an administrator.";
    case "invalid_input":
      return "Correct the highlighted values and try again.";
    case "not_found":
      return "It may have been deleted by someone else. Refresh to see the current state.";
    case "portal":
      return "The portal refused the request. The message above says why.";
    case "cancelled":
      return "Nothing more was changed.";
    case "app_registration":
      return "Register Memberdesk in the organization, then sign in again.";
    case "internal":
      return "This is a bug in Memberdesk. Restart the app; if it happens again, report it.";
  }
}
