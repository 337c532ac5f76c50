// The one door from the UI to the Rust side. Screens import from here, never from
// `@tauri-apps/*` or the generated bindings directly, so UI tests can replace this module.
import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import type * as bindings from "./bindings";
import type {
  AppInfo,
  BulkPlan,
  BulkProgress,
  BulkReport,
  BulkRequest,
  CacheState,
  ExportRequest,
  Exported,
  Change,
  Choices,
  Created,
  DeleteSummary,
  GroupMemberRow,
  GroupRow,
  GroupSummary,
  HistoryFilter,
  ImportPlan,
  ImportReport,
  InvitationRow,
  Job,
  LicensePicture,
  LoadProgress,
  Member,
  MemberDetails,
  MemberEdit,
  NewMemberForm,
  Offers,
  PortalKind,
  ReclaimPlan,
  ReclaimRequest,
  SavedProfiles,
  SessionInfo,
  SwapReport,
  OffboardPlan,
  OffboardRequest,
  ReplayReport,
  ResumePlan,
  ResumeRequest,
  UndoPlan,
  UndoRequest,
  UsernameCheck,
  UpdateOffer,
  UpdateSettings,
  Diagnostics,
} from "./bindings";
import { toAppError } from "./errors";

// Every type the Rust side declares (generated), for screens to use as they are.
export type * from "./bindings";

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

/** Copies the diagnostics to the clipboard (versions, OS, the portal's kind and version;
 * nothing secret or personal) and answers them, with whether the clipboard took them. */
export function getDiagnostics(): Promise<Diagnostics> {
  return unwrap(() => commands.diagnostics());
}

/** Looks for a newer version (at start: only when due, see the update settings); resolves
 * with the offer, or null. Nothing is downloaded. */
export function checkUpdate(atStart: boolean): Promise<UpdateOffer | null> {
  return unwrap(() => commands.checkUpdate(atStart));
}

/** Downloads the update on offer (the version the administrator saw), verifies its
 * signature, installs it and restarts. */
export function installUpdate(version: string): Promise<null> {
  return unwrap(() => commands.installUpdate(version));
}

/** How this computer looks for updates. */
export function getUpdateSettings(): Promise<UpdateSettings> {
  return commands.updateSettings();
}

/** Turns the check at start on or off and sets the manifest address (empty: the built-in). */
export function setUpdateSettings(checkAtStart: boolean, endpoint: string | null): Promise<UpdateSettings> {
  return unwrap(() => commands.setUpdateSettings(checkAtStart, endpoint));
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

/** A window of the cached members a filter shows, in a sort's order (the table's rows). */
export function getMemberPage(
  filter: bindings.MemberFilter,
  sort: bindings.MemberSort,
  offset: number,
  limit: number,
): Promise<bindings.MemberPage> {
  return unwrap(() => commands.memberPage(filter, sort, offset, limit));
}

/** The usernames of every cached member a filter shows, in a sort's order. */
export function getMatchingUsernames(filter: bindings.MemberFilter, sort: bindings.MemberSort): Promise<string[]> {
  return unwrap(() => commands.matchingUsernames(filter, sort));
}

/** How many cached members have each role, user type, group and license. */
export function getMemberFacets(): Promise<bindings.MemberFacets> {
  return unwrap(() => commands.memberFacets());
}

/** The cached members a pasted list of usernames, emails or IdP usernames names. */
export function matchList(entries: string[]): Promise<bindings.ListMatch> {
  return unwrap(() => commands.matchList(entries));
}

/** One cached member; null if not cached. */
export function getMember(username: string): Promise<Member | null> {
  return unwrap(() => commands.member(username));
}

/** The roles and user types a member can be given. */
export function getMemberChoices(): Promise<Choices> {
  return unwrap(() => commands.memberChoices());
}

/** Saves a member's edit form; resolves with the member as the portal now holds it. */
export function updateMember(edit: MemberEdit): Promise<Member> {
  return unwrap(() => commands.updateMember(edit));
}

/** A member's groups and the group invitations they have not answered. */
export function getMemberDetails(username: string): Promise<MemberDetails> {
  return unwrap(() => commands.memberDetails(username));
}

/** What deleting a member would affect. */
export function getDeleteSummary(username: string): Promise<DeleteSummary> {
  return unwrap(() => commands.deleteSummary(username));
}

/** Deletes a member; their content and groups go to `reassignTo` first when given.
 * Resolves with the receiver's row as it now is (null without a receiver). */
export function deleteMember(username: string, reassignTo: string | null): Promise<Member | null> {
  return unwrap(() => commands.deleteMember(username, reassignTo));
}

/** The organization's groups; `refresh` reads them from the portal again. */
export function getGroups(refresh = false): Promise<GroupSummary[]> {
  return unwrap(() => commands.groups(refresh));
}

/** Runs a bulk change on the selected members, reporting progress; resolves with every
 * member's outcome. */
export function bulkChange(
  request: BulkRequest,
  onProgress: (p: BulkProgress) => void,
): Promise<BulkReport> {
  const channel = new Channel<BulkProgress>();
  channel.onmessage = onProgress;
  return unwrap(() => commands.bulkChange(request, channel));
}

/** What a bulk change would do to each selected member, checked locally; nothing is sent. */
export function previewBulk(request: BulkRequest): Promise<BulkPlan> {
  return unwrap(() => commands.previewBulk(request));
}

/** Seats bought, assigned and free per user type, license and bundle, with idle holders. */
export function getLicensePicture(): Promise<LicensePicture> {
  return unwrap(() => commands.licensePicture());
}

/** What the organization bought (names, rules, seats); null before the first load. */
export function getLicenseOffers(): Promise<Offers | null> {
  return unwrap(() => commands.licenseOffers());
}

/** Who a reclaim would touch, and the seats that would come back. */
export function planReclaim(request: ReclaimRequest): Promise<ReclaimPlan> {
  return unwrap(() => commands.planReclaim(request));
}

/** Reclaims for the members kept from the plan, reporting progress. */
export function reclaim(
  request: ReclaimRequest,
  usernames: string[],
  onProgress: (p: BulkProgress) => void,
): Promise<BulkReport> {
  const channel = new Channel<BulkProgress>();
  channel.onmessage = onProgress;
  return unwrap(() => commands.reclaim(request, usernames, channel));
}

/** Swaps two members' user types in the order that needs no spare seat. */
export function swapUserTypes(first: string, second: string): Promise<SwapReport> {
  return unwrap(() => commands.swapUserTypes(first, second));
}

/** Asks the running bulk change to stop; members not yet sent are skipped. */
export function cancelBulk(): Promise<boolean> {
  return unwrap(async () => ({ status: "ok" as const, data: await commands.cancelBulk() }));
}

/** Every open invitation of the organization, newest first. */
export function getInvitations(): Promise<InvitationRow[]> {
  return unwrap(() => commands.invitations());
}

/** Withdraws an invitation: its link stops working. */
export function deleteInvitation(id: string): Promise<null> {
  return unwrap(() => commands.deleteInvitation(id));
}

/** Sends an invitation again with a new expiry. */
export function inviteAgain(id: string): Promise<null> {
  return unwrap(() => commands.inviteAgain(id));
}

/** Whether a username follows the rules and is free. */
export function checkUsername(username: string): Promise<UsernameCheck> {
  return unwrap(() => commands.checkUsername(username));
}

/** Creates a member with a password, or sends an email invitation (no password). */
export function createMember(form: NewMemberForm): Promise<Created> {
  return unwrap(() => commands.createMember(form));
}

/** Signs in through the system browser (OAuth2); resolves once the browser comes back. */
export function signInBrowser(kind: PortalKind, portalUrl: string, clientId: string): Promise<SessionInfo> {
  return unwrap(() => commands.signInBrowser(kind, portalUrl, clientId));
}

/** Stops a browser sign-in that waits for the browser. */
export function cancelSignIn(): Promise<boolean> {
  return unwrap(async () => ({ status: "ok" as const, data: await commands.cancelSignIn() }));
}

/** The saved portal profiles, and why the last session was not restored (if so). */
export function getProfiles(): Promise<SavedProfiles> {
  return unwrap(async () => ({ status: "ok" as const, data: await commands.profiles() }));
}

/** Removes a saved portal profile (and its refresh token from the keychain). */
export function forgetProfile(id: string): Promise<null> {
  return unwrap(() => commands.forgetProfile(id));
}

/** The groups with their member counts; `refresh` reads them from the portal again. */
export function getGroupRows(refresh = false): Promise<GroupRow[]> {
  return unwrap(() => commands.groupRows(refresh));
}

/** A group's members, owner first. */
export function getGroupMembers(id: string): Promise<GroupMemberRow[]> {
  return unwrap(() => commands.groupMembers(id));
}

/** The most recent jobs recorded on the signed-in portal (the History view). */
export function getJobs(limit: number): Promise<Job[]> {
  return unwrap(() => commands.jobs(limit));
}

/** The recorded changes that match a filter, the most recent first. */
export function getHistory(filter: HistoryFilter): Promise<Change[]> {
  return unwrap(() => commands.history(filter));
}

/** The bytes of a file, as base64 (the IPC carries text). */
async function base64Of(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Every row's plan for a CSV file the person picked; nothing is sent. */
export async function planImport(file: File): Promise<ImportPlan> {
  const content = await base64Of(file);
  return unwrap(() => commands.planImport(file.name, content));
}

/** Runs the valid rows of the last plan as one job, reporting progress. */
export function runImport(onProgress: (p: BulkProgress) => void): Promise<ImportReport> {
  const channel = new Channel<BulkProgress>();
  channel.onmessage = onProgress;
  return unwrap(() => commands.runImport(channel));
}

/** Writes members to a CSV file the person chooses in the save dialog; null if they cancel. */
export function exportMembers(request: ExportRequest): Promise<Exported | null> {
  return unwrap(() => commands.exportMembers(request));
}

/** Saves an import's result as CSV where the person chooses; null if they cancel. */
export function saveImportResult(report: ImportReport): Promise<string | null> {
  return unwrap(() => commands.saveImportResult(report));
}

/** Saves the changes that match a filter as CSV where the person chooses; null if they cancel. */
export function exportHistory(filter: HistoryFilter): Promise<string | null> {
  return unwrap(() => commands.exportHistory(filter));
}

/** What undoing a job (or one change) would do, read against the portal now; nothing is sent. */
export function planUndo(request: UndoRequest): Promise<UndoPlan> {
  return unwrap(() => commands.planUndo(request));
}

/** Undoes a job (or one change) as a new job, reporting progress; stopped with `cancelBulk`. */
export function undo(request: UndoRequest, onProgress: (p: BulkProgress) => void): Promise<ReplayReport> {
  const channel = new Channel<BulkProgress>();
  channel.onmessage = onProgress;
  return unwrap(() => commands.undo(request, channel));
}

/** The jobs of this portal cut off (or stopped) with changes of unknown outcome, newest first. */
export function resumableJobs(): Promise<Job[]> {
  return unwrap(() => commands.resumableJobs());
}

/** What resuming a job would do, read against the portal now; nothing is sent. */
export function planResume(request: ResumeRequest): Promise<ResumePlan> {
  return unwrap(() => commands.planResume(request));
}

/** Resumes a job: only what never arrived is sent, reporting progress; stopped with `cancelBulk`. */
export function resumeJob(request: ResumeRequest, onProgress: (p: BulkProgress) => void): Promise<ReplayReport> {
  const channel = new Channel<BulkProgress>();
  channel.onmessage = onProgress;
  return unwrap(() => commands.resumeJob(request, channel));
}

/** What deleting the selected members would affect, and who cannot go and why; nothing is sent. */
export function planOffboard(request: OffboardRequest): Promise<OffboardPlan> {
  return unwrap(() => commands.planOffboard(request));
}

/** Deletes the selected members that can go as one job, reporting progress; stopped with `cancelBulk`. */
export function offboard(request: OffboardRequest, onProgress: (p: BulkProgress) => void): Promise<BulkReport> {
  const channel = new Channel<BulkProgress>();
  channel.onmessage = onProgress;
  return unwrap(() => commands.offboard(request, channel));
}
