// A signed-in session for UI tests: the demo organization with nothing loaded, any field
// overridden.
import type { SessionInfo } from "../platform/backend";

export function testSession(over: Partial<SessionInfo> = {}): SessionInfo {
  return {
    kind: "demo",
    portalUrl: "http://127.0.0.1:1/sharing/rest/",
    orgName: "Demo org",
    username: "demo_admin",
    cache: { members: 0, loadedAt: null },
    ...over,
  };
}
