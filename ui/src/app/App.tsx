import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MembersPage } from "../features/members/MembersPage";
import { SignInPage } from "../features/signin/SignInPage";
import { signOut } from "../platform/backend";
import { adviceFor, toAppError } from "../platform/errors";
import { queryKeys, sessionQuery } from "../platform/queries";

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
      queryClient.removeQueries({ queryKey: queryKeys.members });
    },
  });
  const current = session.data;

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
        <MembersPage key={`${current.portalUrl}|${current.username}`} session={current} />
      ) : (
        <SignInPage />
      )}
    </calcite-shell>
  );
}
