// The one door from the UI to the Rust side. Screens import from here, never from
// `@tauri-apps/*` or the generated bindings directly, so UI tests can replace this module.
import { commands } from "./bindings";
import type { AppInfo } from "./bindings";
import { toAppError } from "./errors";

export type { AppInfo };

type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: unknown };

/** Resolves with the data of a command, or rejects with an AppError. */
async function unwrap<T>(call: () => Promise<CommandResult<T>>): Promise<T> {
  let result: CommandResult<T>;
  try {
    result = await call();
  } catch (e) {
    throw toAppError(e);
  }
  if (result.status === "error") throw toAppError(result.error);
  return result.data;
}

/** The app's name and version, from the packaged configuration. */
export function getAppInfo(): Promise<AppInfo> {
  return unwrap(() => commands.appInfo());
}
