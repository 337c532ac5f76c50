// The window rests: once what a person asked for is on screen, the page does no more work.
// A members table that re-rendered itself without end (some 20,000 DOM changes in 3 s, the
// web process at 100-140 % CPU, even behind another screen) looked perfectly fine in every
// other test. Here, after each step, a MutationObserver on document.body counts the DOM
// changes over 3 s of rest, which must be none: nothing on these screens changes by itself
// (no clock, no animation in the light DOM, no polling). The observer does not see inside
// Calcite's shadow roots; a React render loop shows in the light DOM (the table rows).
//
// Same harness and steps as members.test.mjs: the demo portal from the first screen, the
// text filter typed as a person does, the edit saved in the member panel (lib/members-page.mjs).
import assert from "node:assert/strict";
import { test } from "node:test";
import { appAroundTests, settle, step } from "./lib/harness.mjs";
import { editFirstMember, membersCount } from "./lib/members-page.mjs";
import { waitFor } from "./lib/webdriver.mjs";

let app;
appAroundTests((started) => { app = started; }, { dataDirPrefix: "memberdesk-e2e-rest-" });

/** How long the page is watched at rest. */
const REST_MS = 3000;

/**
 * Lets the page finish what the last step started (fonts, two frames, a pause), then counts
 * the DOM changes under document.body for REST_MS. Returns the count and the first changes,
 * described, for the failure message.
 */
async function changesAtRest() {
  await settle(app);
  await app.execute(
    `window.__restWatch?.observer.disconnect();
     const watch = { count: 0, first: [] };
     const describe = (node) => {
       const el = node.nodeType === 1 ? node : node.parentElement;
       if (!el) return "#text";
       const id = el.closest("[data-testid]")?.getAttribute("data-testid");
       return el.tagName.toLowerCase() + (id ? " in [data-testid=" + id + "]" : "");
     };
     watch.observer = new MutationObserver((records) => {
       for (const r of records) {
         watch.count += 1;
         if (watch.first.length < 10) {
           watch.first.push(r.type + (r.attributeName ? " " + r.attributeName : "") + " on " + describe(r.target));
         }
       }
     });
     watch.observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
     window.__restWatch = watch;
     return true;`,
  );
  await new Promise((r) => setTimeout(r, REST_MS));
  return app.execute(
    `const watch = window.__restWatch;
     watch.observer.takeRecords();
     watch.observer.disconnect();
     return { count: watch.count, first: watch.first };`,
  );
}

async function assertAtRest(after) {
  const { count, first } = await changesAtRest();
  step(`${count} DOM changes in ${REST_MS} ms at rest after ${after}`);
  assert.equal(count, 0, `the page changed ${count} times in ${REST_MS} ms at rest after ${after}: ${first.join("; ")}`);
}

test("the page rests once every member is loaded", async () => {
  await (await app.byTestId("signin-demo")).click();
  await waitFor("all members to be loaded", async () => /^\d[\d,]* members$/.test(await membersCount(app)), {
    timeoutMs: 60000,
  });
  await waitFor("the load to finish", async () =>
    app.execute("return !document.querySelector('[data-testid=members-loading]')"));
  await assertAtRest("the members loaded");
});

test("the page rests after a filter is typed", async () => {
  await (await app.byTestId("members-filter-text")).click();
  await app.keys("smith");
  await waitFor("the filtered count", async () => / of \d[\d,]* members$/.test(await membersCount(app)));
  await waitFor("the result of the whole text", async () =>
    app.execute("return document.querySelector('.members').dataset.filterText === 'smith'"));
  await assertAtRest("typing a filter");
});

test("the page rests after an edit is saved in the member panel", async () => {
  await editFirstMember(app);
  await assertAtRest("an edit was saved");
});

test("the hidden members page rests while another screen shows", async () => {
  await app.activate('[data-testid="nav-invitations"]');
  await app.byTestId("invitations-page");
  await waitFor("the invitations", async () =>
    /invitations$/.test((await (await app.byTestId("invitations-count")).text()).trim()), { timeoutMs: 20000 });
  await assertAtRest("switching to the invitations");
});
