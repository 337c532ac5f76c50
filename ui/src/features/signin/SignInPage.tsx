// The first screen: where to sign in. ArcGIS Online and ArcGIS Enterprise sign in through
// the system browser (OAuth2; the app never sees the password, and the next start resumes
// the session from the OS keychain); Enterprise built-in accounts can also use a username and
// password; the demo portal runs on this computer (no account needed). Portals signed in to
// before are listed first. A failed sign-in keeps what was typed and says what to do.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type SyntheticEvent } from "react";
import {
  cancelSignIn,
  forgetProfile,
  signInBrowser,
  signInDemo,
  signInPassword,
  type PortalKind,
  type Profile,
  type SessionInfo,
} from "../../platform/backend";
import { toAppError } from "../../platform/errors";
import { ErrorNotice } from "../../app/ErrorNotice";
import { FormField, TextField } from "../../components/FormField";
import { TruncatedText } from "../../components/TruncatedText";
import { appInfoQuery, profilesQuery, queryKeys } from "../../platform/queries";
import { RegisterGuide } from "./RegisterGuide";
import "./signin.css";

type Method = "browser" | "password";

interface BrowserRequest {
  kind: PortalKind;
  portalUrl: string;
  clientId: string;
}

const KIND_NAMES: Record<PortalKind, string> = {
  arcgis_online: "ArcGIS Online",
  enterprise: "ArcGIS Enterprise",
  demo: "Demo portal",
};

export function SignInPage() {
  const queryClient = useQueryClient();
  const info = useQuery(appInfoQuery());
  const saved = useQuery(profilesQuery());
  const signedIn = (session: SessionInfo) => {
    queryClient.setQueryData(queryKeys.session, session);
    queryClient.removeQueries({ queryKey: queryKeys.members });
    void queryClient.invalidateQueries({ queryKey: queryKeys.profiles });
  };
  const demo = useMutation({ mutationFn: signInDemo, onSuccess: signedIn });
  const browser = useMutation({
    mutationFn: (r: BrowserRequest) => signInBrowser(r.kind, r.portalUrl, r.clientId),
    onSuccess: signedIn,
  });
  const [onlineUrl, setOnlineUrl] = useState("");
  const [onlineClientId, setOnlineClientId] = useState("");
  const [method, setMethod] = useState<Method>("browser");
  const [guide, setGuide] = useState(false);
  const openGuide = () => { setGuide(true); };
  const [portalUrl, setPortalUrl] = useState("");
  const [clientId, setClientId] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const enterprise = useMutation({
    mutationFn: (typed: { portalUrl: string; username: string; password: string }) =>
      signInPassword(typed.portalUrl, typed.username, typed.password),
    // The password is one of the variables: the mutation is not kept once nothing shows it.
    gcTime: 0,
    onSuccess: (s) => {
      setPassword("");
      signedIn(s);
    },
  });
  const forget = useMutation({
    mutationFn: (p: Profile) => forgetProfile(p.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.profiles }),
  });
  const busy = demo.isPending || enterprise.isPending || browser.isPending;
  const waitingFor = browser.isPending ? browser.variables.kind : null;
  const submit = (e: SyntheticEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    if (method === "browser") {
      browser.mutate({ kind: "enterprise", portalUrl, clientId });
      return;
    }
    // What the fields show as the form is sent: the last keystrokes may not have reached this
    // component's state yet (Calcite's input events are not flushed before a click).
    const shown = (testId: string, fallback: string) =>
      e.currentTarget.querySelector<HTMLInputElement>(`[data-testid="${testId}"]`)?.value ?? fallback;
    enterprise.mutate({
      portalUrl: shown("signin-portal-url", portalUrl),
      username: shown("signin-username", username),
      password: shown("signin-password", password),
    });
  };
  const openProfile = (p: Profile) => {
    if (p.method === "demo") demo.mutate();
    else if (p.method === "browser") {
      browser.mutate({ kind: p.kind, portalUrl: p.portalUrl, clientId: p.clientId ?? "" });
    } else {
      setMethod("password");
      setPortalUrl(p.portalUrl);
      setUsername(p.username);
    }
  };
  const profiles = saved.data?.profiles ?? [];

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

      {saved.data?.restoreProblem && (
        <calcite-notice open kind="warning" icon="exclamation-mark-triangle" data-testid="signin-restore-problem">
          <div slot="message">{saved.data.restoreProblem} Sign in again.</div>
        </calcite-notice>
      )}

      {waitingFor && (
        <calcite-notice open kind="brand" icon="launch" data-testid="signin-waiting">
          <div slot="title">Finish signing in in your browser</div>
          <div slot="message">
            {`The ${KIND_NAMES[waitingFor]} sign-in page opened in your web browser. Memberdesk continues as soon as you sign in there.`}
          </div>
          <calcite-button slot="link" appearance="transparent" data-testid="signin-cancel" onClick={() => void cancelSignIn()}>
            Cancel
          </calcite-button>
        </calcite-notice>
      )}
      {browser.isError && toAppError(browser.error).code !== "cancelled" && (
        <SignInError error={browser.error} testId="signin-browser-error" onGuide={openGuide} />
      )}
      <RegisterGuide open={guide} onClose={() => { setGuide(false); }} redirectUris={info.data?.redirectUris ?? []} />

      {profiles.length > 0 && (
        <section className="signin__recent" aria-labelledby="signin-recent-title">
          <h2 id="signin-recent-title">Recent portals</h2>
          <ul>
            {profiles.map((p) => (
              <li key={p.id} data-testid="signin-profile" data-profile-id={p.id}>
                <calcite-icon
                  icon={p.kind === "demo" ? "desktop" : p.kind === "enterprise" ? "organization" : "globe"}
                  aria-hidden="true"
                />
                <div className="signin__recent-text">
                  <strong>{p.orgName || KIND_NAMES[p.kind]}</strong>
                  <TruncatedText
                    className="signin__recent-where"
                    text={`${p.username} · ${p.kind === "demo" ? "this computer" : p.portalUrl}`}
                  />
                </div>
                <calcite-button
                  scale="s"
                  icon-start={p.method === "browser" ? "launch" : "sign-in"}
                  disabled={busy || undefined}
                  data-testid="signin-profile-use"
                  onClick={() => { openProfile(p); }}
                >
                  {p.method === "password" ? "Fill in" : "Sign in"}
                </calcite-button>
                <calcite-button
                  scale="s"
                  appearance="transparent"
                  kind="neutral"
                  icon-start="x"
                  label={`Forget ${p.username} on ${p.orgName}`}
                  data-testid="signin-profile-forget"
                  disabled={busy || undefined}
                  onClick={() => { forget.mutate(p); }}
                />
              </li>
            ))}
          </ul>
        </section>
      )}

      <div className="signin__choices">
        <section className="signin__card" aria-labelledby="signin-online-title">
          <calcite-icon icon="globe" scale="m" aria-hidden="true" />
          <h2 id="signin-online-title">ArcGIS Online</h2>
          <p>Sign in in your browser, with your organization&apos;s usual sign-in (ArcGIS, SAML or social).</p>
          <form
            className="signin__form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy) browser.mutate({ kind: "arcgis_online", portalUrl: onlineUrl, clientId: onlineClientId });
            }}
          >
            <TextField
              label="Organization URL (optional)"
              testId="signin-online-url"
              placeholder="https://yourorg.maps.arcgis.com"
              value={onlineUrl}
              onChange={setOnlineUrl}
            />
            <TextField
              label="App client ID (optional)"
              testId="signin-online-client-id"
              placeholder="memberdesk"
              value={onlineClientId}
              onChange={setOnlineClientId}
            />
            <calcite-button
              type="submit"
              width="full"
              icon-start="launch"
              data-testid="signin-online"
              loading={waitingFor === "arcgis_online" || undefined}
              disabled={busy || undefined}
            >
              Sign in with the browser
            </calcite-button>
            <GuideLink onClick={openGuide} testId="signin-online-guide" />
          </form>
        </section>

        <section className="signin__card" aria-labelledby="signin-enterprise-title">
          <calcite-icon icon="organization" scale="m" aria-hidden="true" />
          <h2 id="signin-enterprise-title">ArcGIS Enterprise</h2>
          <form className="signin__form" onSubmit={submit} noValidate>
            <TextField
              label="Portal URL"
              testId="signin-portal-url"
              required
              placeholder="https://gis.example.com/portal"
              value={portalUrl}
              onChange={setPortalUrl}
            />
            <calcite-segmented-control
              label="How to sign in"
              width="full"
              scale="s"
              data-testid="signin-method"
              oncalciteSegmentedControlChange={(e) => { setMethod(e.target.value as Method); }}
            >
              <calcite-segmented-control-item value="browser" checked={method === "browser"} data-testid="signin-method-browser">
                Browser
              </calcite-segmented-control-item>
              <calcite-segmented-control-item value="password" checked={method === "password"} data-testid="signin-method-password">
                Built-in account
              </calcite-segmented-control-item>
            </calcite-segmented-control>
            {method === "browser" ? (
              <TextField
                label="App client ID (optional)"
                testId="signin-client-id"
                placeholder="memberdesk"
                value={clientId}
                onChange={setClientId}
              />
            ) : (
              <>
                <TextField
                  label="Username"
                  testId="signin-username"
                  required
                  autocomplete="username"
                  value={username}
                  onChange={setUsername}
                />
                <FormField label="Password">
                  <calcite-input
                    type="password"
                    required
                    autocomplete="current-password"
                    data-testid="signin-password"
                    value={password}
                    oncalciteInputInput={(e) => { setPassword(e.target.value); }}
                  />
                </FormField>
              </>
            )}
            <calcite-button
              type="submit"
              width="full"
              icon-start={method === "browser" ? "launch" : "sign-in"}
              data-testid="signin-enterprise"
              loading={enterprise.isPending || waitingFor === "enterprise" || undefined}
              disabled={
                busy ||
                !portalUrl.trim() ||
                (method === "password" && (!username.trim() || !password)) ||
                undefined
              }
            >
              {method === "browser" ? "Sign in with the browser" : "Sign in"}
            </calcite-button>
            {method === "browser" && <GuideLink onClick={openGuide} testId="signin-enterprise-guide" />}
            {enterprise.isError && (
              <SignInError error={enterprise.error} testId="signin-enterprise-error" />
            )}
          </form>
        </section>

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
      </div>
    </div>
  );
}

/** The way to the registration steps, under a form that signs in through the browser. */
function GuideLink({ onClick, testId }: { onClick: () => void; testId: string }) {
  return (
    <calcite-button appearance="transparent" scale="s" icon-start="question" data-testid={testId} onClick={onClick}>
      How to register Memberdesk
    </calcite-button>
  );
}

interface SignInErrorProps {
  error: unknown;
  testId: string;
  /** Opens the registration steps (a refused app registration offers them). */
  onGuide?: () => void;
}

function SignInError({ error, testId, onGuide }: SignInErrorProps) {
  const e = toAppError(error);
  if (e.code === "app_registration" && onGuide) {
    return (
      <calcite-notice open kind="warning" icon="key" data-testid={testId} data-code={e.code}>
        <div slot="title">Memberdesk is not registered on this portal</div>
        <div slot="message">{e.message}</div>
        <calcite-button slot="link" appearance="transparent" data-testid="signin-open-guide" onClick={onGuide}>
          Show the registration steps
        </calcite-button>
      </calcite-notice>
    );
  }
  return (
    <ErrorNotice
      error={e}
      testId={testId}
      title="Could not sign in"
      advice={e.code === "portal" ? "Check the portal URL, username and password." : undefined}
    />
  );
}
