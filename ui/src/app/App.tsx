// The application frame: the Calcite shell, the header, and the screen of the moment (the
// sign-in screen, or the members, licenses, invitations, groups, import or history of the signed-in
// portal).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { GroupsPage } from "../features/groups/GroupsPage";
import { HistoryPage, type HistoryPanel } from "../features/history/HistoryPage";
import { ResumeNotice } from "../features/history/ResumeNotice";
import { ImportPage } from "../features/import/ImportPage";
import { InvitationsPage } from "../features/invitations/InvitationsPage";
import { LicensesPage } from "../features/licenses/LicensesPage";
import { MembersPage, type ShowMembers } from "../features/members/MembersPage";
import { SignInPage } from "../features/signin/SignInPage";
import { signOut, type Job } from "../platform/backend";
import { adviceFor, toAppError } from "../platform/errors";
import { queryKeys, sessionQuery } from "../platform/queries";
import { AboutDialog } from "./AboutDialog";
import { AppHeader, type View } from "./AppHeader";
import { UpdateNotice } from "./UpdateNotice";

/** The application frame: Calcite shell, the header with who is signed in, and the screen. */
export function App() {
  const queryClient = useQueryClient();
  const session = useQuery(sessionQuery());
  const out = useMutation({
    mutationFn: signOut,
    onSettled: () => {
      queryClient.setQueryData(queryKeys.session, null);
      setView("members");
      for (const key of [queryKeys.members, queryKeys.groups, queryKeys.invitations, queryKeys.history]) {
        queryClient.removeQueries({ queryKey: key });
      }
    },
  });
  const current = session.data;
  const [view, setView] = useState<View>("members");
  const [about, setAbout] = useState(false);
  // Filters the Licenses view asks the members page to show ("show the holders").
  const [show, setShow] = useState<ShowMembers | null>(null);
  const showMembers = useCallback((patch: ShowMembers["patch"]) => {
    setShow({ patch, at: Date.now() });
    setView("members");
  }, []);
  // The panel the History view opens on arrival (the resume notice asks for one).
  const [historyPanel, setHistoryPanel] = useState<{ panel: HistoryPanel; at: number } | null>(null);
  const resume = useCallback((job: Job["id"]) => {
    setHistoryPanel({ panel: { kind: "resume", job }, at: Date.now() });
    setView("history");
  }, []);

  return (
    <calcite-shell>
      <AppHeader
        session={current}
        view={view}
        onView={setView}
        onSignOut={() => { out.mutate(); }}
        onAbout={() => { setAbout(true); }}
      />
      <AboutDialog open={about} onClose={() => { setAbout(false); }} />
      <UpdateNotice />
      {session.isPending ? (
        <div className="center">
          <calcite-loader label="Starting Memberdesk" data-testid="app-loading" />
        </div>
      ) : session.isError ? (
        <div className="center">
          <calcite-notice open kind="danger" icon="exclamation-mark-triangle" data-testid="app-error">
            <div slot="title">Memberdesk could not start</div>
            <div slot="message">
              {toAppError(session.error).message} {adviceFor(toAppError(session.error).code)}
            </div>
          </calcite-notice>
        </div>
      ) : current ? (
        <div className="views" key={`${current.portalUrl}|${current.username}`}>
          {/* The History view offers the same job with its Resume… button. */}
          {view !== "history" && <ResumeNotice onResume={resume} />}
          {/* The members page stays mounted (and keeps its filters) while another screen shows. */}
          <div className="view" hidden={view !== "members"}>
            <MembersPage session={current} show={show} />
          </div>
          {view === "licenses" && (
            <div className="view">
              <LicensesPage onShowMembers={showMembers} />
            </div>
          )}
          {view === "invitations" && (
            <div className="view">
              <InvitationsPage />
            </div>
          )}
          {view === "groups" && (
            <div className="view">
              <GroupsPage />
            </div>
          )}
          {/* Kept mounted too: a plan and a running import survive a look at another screen. */}
          <div className="view" hidden={view !== "import"}>
            <ImportPage />
          </div>
          {view === "history" && (
            <div className="view">
              <HistoryPage key={historyPanel?.at ?? 0} open={historyPanel?.panel ?? null} />
            </div>
          )}
        </div>
      ) : (
        <SignInPage />
      )}
    </calcite-shell>
  );
}
