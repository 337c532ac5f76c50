// The member forms' rules, checked as people type: ArcGIS's username rules, the default
// password policy (rule by rule, for the checklist under the field) and what counts as an email
// address. console-core checks the same rules before anything is sent
// (crates/console-core/src/members/rules.rs); one table of cases,
// tests/fixtures/form-rules.json, is read by the tests of both, so they cannot drift.

/** Characters as Rust counts them (Unicode code points, not UTF-16 units). */
function codePoints(text: string): number {
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

/** Why a username breaks ArcGIS's rules, or null. */
export function usernameProblem(name: string): string | null {
  const length = codePoints(name);
  const problem =
    length < 6
      ? "must be at least 6 characters long"
      : length > 128
        ? "must be at most 128 characters long"
        : !/^[A-Za-z0-9._@-]+$/.test(name)
          ? "may only contain letters, numbers and the characters . _ @ -"
          : !/^[A-Za-z0-9]/.test(name)
            ? "must start with a letter or a number"
            : null;
  return problem && `The username ${problem}.`;
}

/** The default ArcGIS password policy, rule by rule, for the checklist under the field. */
export function passwordRules(username: string, password: string): { rule: string; met: boolean }[] {
  const length = codePoints(password);
  return [
    { rule: "8 to 128 characters", met: length >= 8 && length <= 128 },
    { rule: "At least one letter", met: /\p{L}/u.test(password) },
    { rule: "At least one number", met: /[0-9]/.test(password) },
    { rule: "Not the username", met: length > 0 && password.toLowerCase() !== username.toLowerCase() },
  ];
}

/** Why an email address would be refused, or null. */
export function emailProblem(email: string): string | null {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(email) ? null : "Enter an email address.";
}
