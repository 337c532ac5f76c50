// The one door from the UI to the Rust side. Screens import from here, never from
// `@tauri-apps/*` or the generated bindings directly, so UI tests can replace this module.
import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import type {
  AppInfo,
  CacheState_Serialize,
  Choices,
  LoadProgress,
  Member_Serialize,
  MemberEdit,
  PortalKind,
  SessionInfo_Serialize,
} from "./bindings";
import { toAppError } from "./errors";

export type { AppInfo, Choices, LoadProgress, MemberEdit, PortalKind };
/** One member as the table shows it. */
export type Member = Member_Serialize;
/** Who is signed in where, and what is cached for that portal. */
export type SessionInfo = SessionInfo_Serialize;
/** How many members are cached, and since when. */
export type CacheState = CacheState_Serialize;

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

/** Who is signed in, or null. */
export function getSession(): Promise<SessionInfo | null> {
  return unwrap(() => commands.session());
}

/** Starts the demo portal on this computer and signs in as its administrator. */
export function signInDemo(): Promise<SessionInfo> {
  return unwrap(() => commands.signInDemo());
}

/** Signs in to an ArcGIS Enterprise portal with a built-in account. */
export function signInPassword(
  portalUrl: string,
  username: string,
  password: string,
): Promise<SessionInfo> {
  return unwrap(() => commands.signInPassword(portalUrl, username, password));
}

/** Ends the session. */
export function signOut(): Promise<null> {
  return unwrap(() => commands.signOut());
}

/** Loads every member from the portal into the local cache, reporting progress. */
export function loadMembers(onProgress: (p: LoadProgress) => void): Promise<CacheState> {
  const channel = new Channel<LoadProgress>();
  channel.onmessage = onProgress;
  return unwrap(() => commands.loadMembers(channel));
}

/** Every cached member. */
export function getMembers(): Promise<Member[]> {
  return unwrap(() => commands.members());
}

/** The roles and user types a member can be given. */
export function getMemberChoices(): Promise<Choices> {
  return unwrap(() => commands.memberChoices());
}

/** Saves a member's edit form; resolves with the member as the portal now holds it. */
export function updateMember(edit: MemberEdit): Promise<Member> {
  return unwrap(() => commands.updateMember(edit));
}
