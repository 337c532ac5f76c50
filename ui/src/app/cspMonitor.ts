// Counts Content-Security-Policy violations in the page and exposes the count on
// <html data-csp-violations>, so end-to-end tests can assert the strict CSP is never hit by
// our own UI (a violation means something was blocked, i.e. a broken feature or an attack).
export function installCspMonitor(doc: Document = document): void {
  let count = 0;
  doc.documentElement.dataset.cspViolations = "0";
  doc.addEventListener("securitypolicyviolation", (event) => {
    count += 1;
    doc.documentElement.dataset.cspViolations = String(count);
    doc.documentElement.dataset.cspLastViolation = `${event.violatedDirective} ${event.blockedURI}`;
  });
}
