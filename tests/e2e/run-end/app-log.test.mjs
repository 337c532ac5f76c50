// After the whole end-to-end run: the app's log (MEMBERDESK_LOG_DIR, shared by every test's
// app) records sign-in steps, loads, jobs and errors, and holds none of the secrets the run
// used: every token, authorization code and password the test portals handed out or were
// given (they append them to PORTAL_EMULATOR_SECRETS_LOG, a `testing` build only), nor an
// authorization header. session.sh runs this once the other files are done.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const logDir = process.env.MEMBERDESK_LOG_DIR ?? "";
const secretsFile = process.env.PORTAL_EMULATOR_SECRETS_LOG ?? "";

function appLog() {
  assert.ok(logDir && existsSync(logDir), `the app wrote no log folder (${logDir})`);
  const files = readdirSync(logDir).filter((f) => f.endsWith(".log"));
  assert.ok(files.length > 0, `no log file in ${logDir}`);
  return files.map((f) => readFileSync(join(logDir, f), "utf8")).join("\n");
}

test("the app's log records sign-ins, loads, jobs and errors, with levels", () => {
  const log = appLog();
  for (const [what, pattern] of [
    ["a start", /\[INFO\]\[memberdesk_lib\] Memberdesk \S+ starting/],
    ["a browser sign-in", /\[INFO\]\[console_core::sign_in\] sign-in: through the browser/],
    ["a redirect coming back", /sign-in: the browser came back/],
    ["a signed-in session", /sign-in: signed in to http/],
    ["a load with its count", /load: \d+ members read in \d+ ms/],
    ["a job started", /job \d+ \(\w+\) started: \d+ changes/],
    ["a job's outcomes", /job \d+ ended \w+: \d+ \w+/],
    // A refusal the oauth test provokes (the closed update port also fails every start: not
    // that one).
    ["an error a command answered", /\[WARN\]\[memberdesk_lib::error\] command answered AppRegistration: /],
  ]) {
    assert.match(log, pattern, `the log has ${what}`);
  }
});

test("no token, code, password or authorization header of the run is in the app's log", () => {
  const log = appLog();
  assert.ok(secretsFile && existsSync(secretsFile), "the test portals recorded the secrets they used");
  const secrets = readFileSync(secretsFile, "utf8").split("\n").filter((s) => s.length >= 8);
  // The outside portals' sign-ins (oauth, resume, …) hand out tokens and codes and are given
  // passwords: a run with so few did not record them. (The demo portal inside the app is not a
  // testing build: its secrets are not listed.)
  assert.ok(secrets.length >= 10, `only ${secrets.length} secrets were recorded`);
  const leaked = secrets.filter((s) => log.includes(s));
  assert.deepEqual(leaked.map((s) => `${s.slice(0, 4)}…`), [], "secrets found in the app's log");
  assert.doesNotMatch(log, /authorization:|bearer [a-z0-9_-]{8,}|x-esri-authorization|[?&](token|password|refresh_token)=/i);
});
