// Steps on the members page that more than one test file takes: reading the count line, and
// opening the first member to save an edit (the values the tests then look for: Grace Hopper,
// a description that holds markup, 120 credits).
const EDIT = {
  "member-form-first-name": "Grace",
  "member-form-last-name": "Hopper",
  "member-form-description": "<img src=x onerror=alert(1)> stays text",
  "member-form-credits": "120",
};

/** The members count line ("12 of 501 members"), trimmed. */
export async function membersCount(app) {
  return (await (await app.byTestId("members-count")).text()).trim();
}

/**
 * Opens the first member row in the panel, types the edit into the member form and saves it;
 * `beforeSave` runs once the form is filled (a screenshot). Returns the member's username,
 * once the panel says the edit is saved.
 */
export async function editFirstMember(app, { beforeSave } = {}) {
  const row = await app.find('[data-testid="members-row"]');
  const username = await row.attribute("data-username");
  await app.activate('[data-testid="members-row"] td[data-column="username"]');
  await app.activate('[data-testid="member-edit"]');
  await app.byTestId("member-form");
  for (const [testId, text] of Object.entries(EDIT)) await app.replaceText(testId, text);
  await beforeSave?.();
  await app.activate('[data-testid="member-form-save"]');
  await app.byTestId("member-saved", { timeoutMs: 20000 });
  return username;
}
