// About Memberdesk: the version, where the app keeps its data and its log, and the
// diagnostics an administrator pastes into a support request (versions, OS, the portal's kind
// and version; no token, password, username or URL: the backend composes them).
import { useMutation, useQuery } from "@tanstack/react-query";
import { getDiagnostics } from "../platform/backend";
import { appInfoQuery } from "../platform/queries";
import { ErrorNotice } from "./ErrorNotice";

interface Props {
  open: boolean;
  onClose: () => void;
}

export function AboutDialog({ open, onClose }: Props) {
  const info = useQuery(appInfoQuery());
  const copy = useMutation({
    mutationFn: async () => {
      const text = await getDiagnostics();
      // The text is shown too: where the clipboard is refused, it can be selected by hand.
      const copied = await navigator.clipboard.writeText(text).then(() => true, () => false);
      return { text, copied };
    },
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
