// The steps an organization takes once so Memberdesk can sign in to it through the browser:
// register the app (OAuth 2.0 credentials) with Memberdesk's redirect URLs, then give the app
// the client ID of that registration. ArcGIS compares a redirect URL exactly, port included,
// so every URL listed here is registered (Memberdesk listens on the first free one).
import { useState } from "react";

interface Props {
  open: boolean;
  onClose: () => void;
  /** Memberdesk's redirect URLs, from the backend (`AppInfo.redirectUris`). */
  redirectUris: readonly string[];
}

export function RegisterGuide({ open, onClose, redirectUris }: Props) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard
      .writeText(redirectUris.join("\n"))
      .then(() => { setCopied(true); })
      .catch(() => { setCopied(false); });
  };
  return (
    <calcite-dialog
      open={open || undefined}
      modal
      width="m"
      heading="Register Memberdesk in your organization"
      description="Once per organization, before the first browser sign-in"
      data-testid="register-guide"
      oncalciteDialogClose={onClose}
    >
      <div className="register-guide">
        <p>
          ArcGIS Online and ArcGIS Enterprise only send a sign-in back to apps the organization
          registered. The client ID <code>memberdesk</code> is known only to the demo portal.
          Any member with a Creator user type can register the app; an administrator is needed
          only if your organization allows approved apps alone.
        </p>
        <h3>ArcGIS Online and ArcGIS Enterprise 11.1 or later</h3>
        <ol data-testid="register-steps">
          <li>Sign in to your organization in a web browser and open <b>Content</b>, <b>My content</b>.</li>
          <li>Choose <b>New item</b>, <b>Developer credentials</b>, <b>OAuth 2.0 credentials</b>.</li>
          <li>Under <b>Redirect URLs</b>, add each of the URLs below, then go on without privileges or item access.</li>
          <li>Name the item (for example <i>Memberdesk</i>) and create it.</li>
          <li>Copy the <b>Client ID</b> shown on the item&apos;s page and paste it into <b>App client ID</b> here.</li>
        </ol>
        <h3>ArcGIS Enterprise 10.9 to 11.0</h3>
        <ol>
          <li>Choose <b>Content</b>, <b>Add item</b>, <b>An application</b>, type <b>Application</b>, and add it.</li>
          <li>On the item&apos;s <b>Settings</b>, under <b>Application</b>, choose <b>Register</b> (or <b>Update</b>), app type <b>Native</b>, and add the redirect URLs below.</li>
          <li>Copy the <b>App ID</b>: it is the client ID to enter here.</li>
        </ol>
        <h3>Redirect URLs to register</h3>
        <ul className="register-guide__uris" data-testid="register-redirect-uris">
          {redirectUris.map((u) => (
            <li key={u}>
              <code>{u}</code>
            </li>
          ))}
        </ul>
        <p>
          If your organization lets members sign in only to approved apps, an administrator also
          adds the new item under <b>Organization</b>, <b>Settings</b>, <b>Security</b>,{" "}
          <b>Approved apps</b>.
        </p>
      </div>
      <calcite-button slot="footer-start" appearance="outline" icon-start="copy-to-clipboard" onClick={copy} data-testid="register-copy">
        {copied ? "Copied" : "Copy the redirect URLs"}
      </calcite-button>
      <calcite-button slot="footer-end" onClick={onClose} data-testid="register-close">
        Close
      </calcite-button>
    </calcite-dialog>
  );
}
