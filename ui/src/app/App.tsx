import { WelcomePage } from "../features/welcome/WelcomePage";

/** The application frame: Calcite shell with the Memberdesk header. */
export function App() {
  return (
    <calcite-shell>
      <calcite-navigation slot="header">
        <calcite-navigation-logo
          slot="logo"
          heading="Memberdesk"
          description="ArcGIS organization members"
          icon="users"
        />
      </calcite-navigation>
      <WelcomePage />
    </calcite-shell>
  );
}
