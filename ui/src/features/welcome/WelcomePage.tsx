import { useQuery } from "@tanstack/react-query";
import { adviceFor, toAppError } from "../../platform/errors";
import { appInfoQuery } from "../../platform/queries";

/** The first screen: who we are and which build this is (the version comes from Rust). */
export function WelcomePage() {
  const info = useQuery(appInfoQuery());

  if (info.isPending) {
    return (
      <div className="welcome">
        <calcite-loader label="Starting Memberdesk" data-testid="welcome-loading" />
      </div>
    );
  }

  if (info.isError) {
    const error = toAppError(info.error);
    return (
      <div className="welcome">
        <calcite-notice open kind="danger" icon="exclamation-mark-triangle" data-testid="welcome-error">
          <div slot="title">Memberdesk could not start</div>
          <div slot="message">
            {error.message} {adviceFor(error.code)}
          </div>
          <calcite-button
            slot="link"
            appearance="transparent"
            data-testid="welcome-retry"
            onClick={() => void info.refetch()}
          >
            Try again
          </calcite-button>
        </calcite-notice>
      </div>
    );
  }

  return (
    <div className="welcome">
      <section className="welcome__card" aria-labelledby="welcome-title">
        <calcite-icon icon="users" scale="l" aria-hidden="true" />
        <h1 id="welcome-title" className="welcome__title" data-testid="welcome-app-name">
          {info.data.name}
        </h1>
        <p className="welcome__lead">
          Find, create, invite and edit the members of your ArcGIS organization.
        </p>
        <div>
          <calcite-chip label={`Version ${info.data.version}`} icon="information">
            <span data-testid="welcome-app-version">Version {info.data.version}</span>
          </calcite-chip>
        </div>
      </section>
    </div>
  );
}
