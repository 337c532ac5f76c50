// The header of the window: the app's name, the screens, and who is signed in where. The
// organization's name and the portal URL can be of any length: they end in an ellipsis (the
// whole text in their tooltip), so Sign out always fits the window.
import type { SessionInfo } from "../platform/backend";
import { TruncatedText } from "../components/TruncatedText";
import "./AppHeader.css";

/** The screens of a signed-in session. */
export type View = "members" | "licenses" | "invitations" | "groups" | "import" | "history";

const VIEWS: { id: View; label: string; icon: string }[] = [
  { id: "members", label: "Members", icon: "users" },
  { id: "licenses", label: "Licenses", icon: "license" },
  { id: "invitations", label: "Invitations", icon: "envelope" },
  { id: "groups", label: "Groups", icon: "group" },
  { id: "import", label: "Import", icon: "upload" },
  { id: "history", label: "History", icon: "recent" },
];

const KIND_NAMES = {
  demo: "Demo portal",
  enterprise: "ArcGIS Enterprise",
  arcgis_online: "ArcGIS Online",
} as const;

interface Props {
  /** The signed-in session, if any. */
  session: SessionInfo | null | undefined;
  view: View;
  onView: (view: View) => void;
  onSignOut: () => void;
  /** Opens About (version, folders, copy diagnostics). */
  onAbout: () => void;
}

export function AppHeader({ session, view, onView, onSignOut, onAbout }: Props) {
  return (
    <calcite-navigation slot="header">
      <calcite-navigation-logo
        slot="logo"
        heading="Memberdesk"
        description={session ? KIND_NAMES[session.kind] : "ArcGIS organization members"}
        icon="users"
        data-testid="header-org"
      />
      {session && (
        <calcite-menu slot="content-start" label="Screens" data-testid="nav">
          {VIEWS.map((v) => (
            <calcite-menu-item
              key={v.id}
              text={v.label}
              label={v.label}
              icon-start={v.icon}
              active={view === v.id || undefined}
              data-testid={`nav-${v.id}`}
              oncalciteMenuItemSelect={() => { onView(v.id); }}
            />
          ))}
        </calcite-menu>
      )}
      <div slot="content-end" className="header__user">
        <calcite-button
          appearance="transparent"
          kind="neutral"
          icon-start="information"
          label="About Memberdesk"
          data-testid="about-open"
          onClick={onAbout}
        />
        {session && (
          <>
            <calcite-navigation-user full-name={session.username} data-testid="header-user" />
            <div className="header__portal">
              <TruncatedText className="header__org-name" text={session.orgName} testId="header-org-name" />
              <TruncatedText className="header__portal-url" text={session.portalUrl} testId="header-portal-url" />
            </div>
            <calcite-button
              appearance="transparent"
              kind="neutral"
              icon-start="sign-out"
              data-testid="sign-out"
              onClick={onSignOut}
            >
              Sign out
            </calcite-button>
          </>
        )}
      </div>
    </calcite-navigation>
  );
}
