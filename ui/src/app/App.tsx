import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { GroupsPage } from "../features/groups/GroupsPage";
import { InvitationsPage } from "../features/invitations/InvitationsPage";
import { MembersPage } from "../features/members/MembersPage";
import { SignInPage } from "../features/signin/SignInPage";
import { signOut } from "../platform/backend";
import { adviceFor, toAppError } from "../platform/errors";
import { queryKeys, sessionQuery } from "../platform/queries";

/** The screens of a signed-in session. */
type View = "members" | "invitations" | "groups";

const VIEWS: { id: View; label: string; icon: string }[] = [
  { id: "members", label: "Members", icon: "users" },
  { id: "invitations", label: "Invitations", icon: "envelope" },
  { id: "groups", label: "Groups", icon: "group" },
];

const KIND_NAMES = {
  demo: "Demo portal",
  enterprise: "ArcGIS Enterprise",
  arcgis_online: "ArcGIS Online",
} as const;

/** The application frame: Calcite shell, the header with who is signed in, and the screen. */
export function App() {
  const queryClient = useQueryClient();
  const session = useQuery(sessionQuery());
  const out = useMutation({
    mutationFn: signOut,
    onSettled: () => {
      queryClient.setQueryData(queryKeys.session, null);
      setView("members");
      for (const key of [queryKeys.members, queryKeys.groups, queryKeys.invitations]) {
        queryClient.removeQueries({ queryKey: key });
      }
    },
  });
  const current = session.data;
  const [view, setView] = useState<View>("members");

  return (
    <calcite-shell>
      <calcite-navigation slot="header">
        <calcite-navigation-logo
          slot="logo"
          heading="Memberdesk"
          description={current ? `${current.orgName} · ${KIND_NAMES[current.kind]}` : "ArcGIS organization members"}
          icon="users"
          data-testid="header-org"
        />
        {current && (
          <calcite-menu slot="content-start" label="Screens" data-testid="nav">
            {VIEWS.map((v) => (
              <calcite-menu-item
                key={v.id}
                text={v.label}
                label={v.label}
                icon-start={v.icon}
                active={view === v.id || undefined}
                data-testid={`nav-${v.id}`}
                oncalciteMenuItemSelect={() => { setView(v.id); }}
              />
            ))}
          </calcite-menu>
        )}
        {current && (
          <div slot="content-end" className="header__user">
            <calcite-navigation-user
              full-name={current.username}
              username={current.portalUrl}
              data-testid="header-user"
            />
            <calcite-button
              appearance="transparent"
              kind="neutral"
              icon-start="sign-out"
              data-testid="sign-out"
              onClick={() => { out.mutate(); }}
            >
              Sign out
            </calcite-button>
          </div>
        )}
      </calcite-navigation>
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
          {/* The members page stays mounted (and keeps its filters) while another screen shows. */}
          <div className="view" hidden={view !== "members"}>
            <MembersPage session={current} />
          </div>
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
        </div>
      ) : (
        <SignInPage />
      )}
    </calcite-shell>
  );
}
