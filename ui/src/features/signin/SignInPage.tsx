// The first screen: where to sign in. The demo portal runs on this computer (no account
// needed); ArcGIS Enterprise takes a built-in account's username and password. A failed
// sign-in keeps what was typed and says what to do.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type SyntheticEvent } from "react";
import { signInDemo, signInPassword, type SessionInfo } from "../../platform/backend";
import { adviceFor, toAppError } from "../../platform/errors";
import { appInfoQuery, queryKeys } from "../../platform/queries";

export function SignInPage() {
  const queryClient = useQueryClient();
  const info = useQuery(appInfoQuery());
  const signedIn = (session: SessionInfo) => {
    queryClient.setQueryData(queryKeys.session, session);
    queryClient.removeQueries({ queryKey: queryKeys.members });
  };
  const demo = useMutation({ mutationFn: signInDemo, onSuccess: signedIn });
  const [portalUrl, setPortalUrl] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const enterprise = useMutation({
    mutationFn: () => signInPassword(portalUrl, username, password),
    onSuccess: (s) => {
      setPassword("");
      signedIn(s);
    },
  });
  const busy = demo.isPending || enterprise.isPending;
  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!busy) enterprise.mutate();
  };

  return (
    <div className="signin">
      <header className="signin__intro">
        <calcite-icon icon="users" scale="l" aria-hidden="true" />
        <h1 className="signin__title" data-testid="welcome-app-name">
          {info.data?.name ?? "Memberdesk"}
        </h1>
        <p className="signin__lead">
          Find, create, invite and edit the members of your ArcGIS organization.
        </p>
        {info.data && (
          <calcite-chip label={`Version ${info.data.version}`} icon="information" scale="s">
            <span data-testid="welcome-app-version">Version {info.data.version}</span>
          </calcite-chip>
        )}
        {info.isError && (
          <calcite-notice open kind="danger" data-testid="welcome-error">
            <div slot="message">{toAppError(info.error).message}</div>
          </calcite-notice>
        )}
      </header>

      <div className="signin__choices">
        <section className="signin__card" aria-labelledby="signin-demo-title">
          <calcite-icon icon="desktop" scale="m" aria-hidden="true" />
          <h2 id="signin-demo-title">Demo portal on this computer</h2>
          <p>
            An ArcGIS-compatible portal that runs inside Memberdesk, with a demo organization of
            about 500 members, groups, custom roles and invitations. No account needed; nothing
            leaves this computer.
          </p>
          <calcite-button
            width="full"
            icon-start="sign-in"
            data-testid="signin-demo"
            loading={demo.isPending || undefined}
            disabled={busy || undefined}
            onClick={() => { demo.mutate(); }}
          >
            Open the demo portal
          </calcite-button>
          {demo.isError && <SignInError error={demo.error} testId="signin-demo-error" />}
        </section>

        <section className="signin__card" aria-labelledby="signin-enterprise-title">
          <calcite-icon icon="organization" scale="m" aria-hidden="true" />
          <h2 id="signin-enterprise-title">ArcGIS Enterprise</h2>
          <form className="signin__form" onSubmit={submit} noValidate>
            <calcite-label>
              Portal URL
              <calcite-input-text
                required
                placeholder="https://gis.example.com/portal"
                data-testid="signin-portal-url"
                value={portalUrl}
                oncalciteInputTextInput={(e) => { setPortalUrl(e.target.value); }}
              />
            </calcite-label>
            <calcite-label>
              Username
              <calcite-input-text
                required
                autocomplete="username"
                data-testid="signin-username"
                value={username}
                oncalciteInputTextInput={(e) => { setUsername(e.target.value); }}
              />
            </calcite-label>
            <calcite-label>
              Password
              <calcite-input
                type="password"
                required
                autocomplete="current-password"
                data-testid="signin-password"
                value={password}
                oncalciteInputInput={(e) => { setPassword(e.target.value); }}
              />
            </calcite-label>
            <calcite-button
              type="submit"
              width="full"
              icon-start="sign-in"
              data-testid="signin-enterprise"
              loading={enterprise.isPending || undefined}
              disabled={busy || !portalUrl.trim() || !username.trim() || !password || undefined}
            >
              Sign in
            </calcite-button>
            {enterprise.isError && (
              <SignInError error={enterprise.error} testId="signin-enterprise-error" />
            )}
          </form>
        </section>
      </div>
    </div>
  );
}

function SignInError({ error, testId }: { error: unknown; testId: string }) {
  const e = toAppError(error);
  return (
    <calcite-notice open kind="danger" icon="exclamation-mark-triangle" data-testid={testId}>
      <div slot="title">Could not sign in</div>
      <div slot="message">
        {e.message} {e.code === "portal" ? "Check the username and password." : adviceFor(e.code)}
      </div>
    </calcite-notice>
  );
}
