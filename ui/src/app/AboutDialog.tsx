// About Memberdesk: the version, where the app keeps its data and its log, and the
// diagnostics an administrator pastes into a support request (versions, OS, the portal's kind
// and version; no token, password, username or URL: the backend composes them).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { checkUpdate, getDiagnostics, getUpdateSettings, setUpdateSettings } from "../platform/backend";
import { appInfoQuery, queryKeys } from "../platform/queries";
import { ErrorNotice } from "./ErrorNotice";
import { TextField } from "../components/FormField";

interface Props {
  open: boolean;
  onClose: () => void;
}

export function AboutDialog({ open, onClose }: Props) {
  const info = useQuery(appInfoQuery());
  const copy = useMutation({
    // Copied by the backend; the text is shown too, to select by hand where the clipboard failed.
    mutationFn: getDiagnostics,
  });
  return (
    <calcite-dialog
      open={open || undefined}
      modal
      width="s"
      heading="About Memberdesk"
      description={info.data ? `Version ${info.data.version}` : undefined}
      data-testid="about"
      oncalciteDialogClose={onClose}
    >
      {info.data && (
        <dl className="about">
          <dt>Version</dt>
          <dd data-testid="about-version">{info.data.version}</dd>
          <dt>Data folder</dt>
          <dd><code data-testid="about-data-dir">{info.data.dataDir}</code></dd>
          <dt>Log folder</dt>
          <dd><code data-testid="about-log-dir">{info.data.logDir}</code></dd>
        </dl>
      )}
      {copy.data && (
        <>
          <calcite-notice open kind={copy.data.copied ? "success" : "warning"} scale="s" data-testid="about-copied">
            <div slot="message">
              {copy.data.copied
                ? "Copied. Paste it into your support request."
                : "The clipboard was not available: select the text below and copy it."}
            </div>
          </calcite-notice>
          <pre className="about__diagnostics" data-testid="about-diagnostics">{copy.data.text}</pre>
        </>
      )}
      {copy.isError && <ErrorNotice error={copy.error} testId="about-error" scale="s" />}
      {open && <UpdateSettingsForm />}
      <calcite-button
        slot="footer-start"
        appearance="outline"
        icon-start="copy-to-clipboard"
        loading={copy.isPending || undefined}
        onClick={() => { copy.mutate(); }}
        data-testid="about-copy"
      >
        Copy diagnostics
      </calcite-button>
      <calcite-button slot="footer-end" onClick={onClose} data-testid="about-close">
        Close
      </calcite-button>
    </calcite-dialog>
  );
}

/** Updates: the check at start (at most daily) on or off, the manifest address, and a check
 * now whose offer shows under the header. */
function UpdateSettingsForm() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: queryKeys.updateSettings, queryFn: getUpdateSettings });
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (s: { checkAtStart: boolean; endpoint: string | null }) => setUpdateSettings(s.checkAtStart, s.endpoint),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.updateSettings, saved);
      setEndpoint(null);
    },
  });
  const check = useMutation({
    mutationFn: () => checkUpdate(false),
    onSuccess: (offer) => {
      queryClient.setQueryData(queryKeys.update, offer);
      void queryClient.invalidateQueries({ queryKey: queryKeys.updateSettings });
    },
  });
  if (!settings.data) return null;
  const current = settings.data;
  const typed = endpoint ?? current.endpoint ?? "";
  return (
    <section className="about__updates" aria-labelledby="about-updates-title">
      <h3 id="about-updates-title">Updates</h3>
      <calcite-label layout="inline">
        <calcite-switch
          checked={current.checkAtStart || undefined}
          data-testid="about-update-at-start"
          oncalciteSwitchChange={(e) => {
            save.mutate({ checkAtStart: e.target.checked, endpoint: current.endpoint });
          }}
        />
        Check for updates when Memberdesk starts (at most once a day)
      </calcite-label>
      <form
        className="about__endpoint"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ checkAtStart: current.checkAtStart, endpoint: typed.trim() || null });
        }}
      >
        <TextField
          label="Update address (empty: the publisher's)"
          testId="about-update-endpoint"
          placeholder="https://…/latest.json"
          value={typed}
          onChange={setEndpoint}
        />
        <calcite-button type="submit" appearance="outline" scale="s" data-testid="about-update-save" disabled={endpoint === null || undefined}>
          Save
        </calcite-button>
      </form>
      {save.isError && <ErrorNotice error={save.error} testId="about-update-save-error" scale="s" />}
      <div className="about__check">
        <calcite-button
          appearance="outline"
          scale="s"
          icon-start="refresh"
          loading={check.isPending || undefined}
          data-testid="about-update-check"
          onClick={() => { check.mutate(); }}
        >
          Check now
        </calcite-button>
        {current.lastCheck !== null && (
          <span data-testid="about-update-last">Last checked {new Date(current.lastCheck).toLocaleString()}</span>
        )}
      </div>
      {check.isSuccess && (
        <p data-testid="about-update-result">
          {check.data ? `Version ${check.data.version} is available: see the notice under the header.` : "This is the newest version."}
        </p>
      )}
      {check.isError && <ErrorNotice error={check.error} testId="about-update-error" scale="s" />}
    </section>
  );
}
