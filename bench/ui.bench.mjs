// The console's own figures, measured in the real window (run by bench/ui.sh under Xvfb):
//  - cold start: from launching the app to the first screen being usable;
//  - the demo portal's whole organization loaded into the table (size from BENCH_MEMBERS);
//  - keystroke to table: typing into the filter box, time from each input event to the frame
//    after the table shows the result (median and 95th percentile over many keystrokes);
//  - CPU at rest: the web process's and the app's CPU over 5 s with nothing to do, with a
//    filter applied and after it is cleared, once the work a change starts (garbage
//    collection, JIT) has settled (a table that re-renders on its own never settles);
//  - the Licenses view: opening it, and a license line to its holders in the table;
//  - memory (PSS from /proc/PID/smaps_rollup, summed over the app and every process it started:
//    WebKit's web and network processes; shared libraries count once) at rest on the sign-in
//    screen, and at rest with every member loaded (once two readings 3 s apart agree within
//    2 MiB, at most 30 s); per process, with the resident sets.
// With BENCH_PORTAL_URL (bench/ui.sh's default) the app signs in to that outside portal with
// BENCH_USERNAME/BENCH_PASSWORD as a built-in account, so the in-app demo portal is not
// counted; without it, the demo portal on this computer.
// Prints figures; asserts nothing (machines here are noisy).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { launchApp, startDriver } from "../tests/e2e/lib/harness.mjs";
import { waitFor } from "../tests/e2e/lib/webdriver.mjs";

const dataDir = process.env.MEMBERDESK_DATA_DIR;
if (!dataDir) throw new Error("MEMBERDESK_DATA_DIR must point at the prepared data folder");

const appBinary = process.env.MEMBERDESK_APP ?? "target/debug/memberdesk";

/** The app's processes and every process under them (WebKit's), by pid, with their names. */
function appTree() {
  const parents = new Map();
  const names = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      names.set(entry, stat.slice(stat.indexOf("(") + 1, close));
      parents.set(entry, stat.slice(close + 2).split(" ")[1]);
    } catch {
      // Gone meanwhile.
    }
  }
  const roots = execFileSync("pgrep", ["-f", appBinary], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  const tree = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree].map((pid) => ({ pid, name: names.get(pid) ?? "?" }));
}

/** kB of a field of /proc/PID/smaps_rollup (Pss, Rss…), 0 when unreadable. */
function rollup(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The PSS and RSS (kB) of the app's processes, per kind of process. */
function pssByKind() {
  const kinds = new Map();
  for (const { pid, name } of appTree()) {
    const kind = kinds.get(name) ?? { pss: 0, rss: 0, n: 0 };
    kind.pss += rollup(pid, "Pss");
    kind.rss += rollup(pid, "Rss");
    kind.n += 1;
    kinds.set(name, kind);
  }
  return kinds;
}

const pssTotal = (kinds) => [...kinds.values()].reduce((s, k) => s + k.pss, 0);

/** Prints the PSS of the app's processes, per kind of process and in total (MiB). */
function memory(label) {
  const mib = (kb) => (kb / 1024).toFixed(0);
  const kinds = pssByKind();
  const total = pssTotal(kinds);
  const parts = [...kinds.entries()]
    .filter(([, k]) => k.pss > 1024)
    .sort((a, b) => b[1].pss - a[1].pss)
    .map(([name, k]) => `${name}${k.n > 1 ? ` x${k.n}` : ""} ${mib(k.pss)} (RSS ${mib(k.rss)})`);
  console.log(`memory ${label}: ${mib(total)} MiB PSS = ${parts.join(" + ")}`);
  if (process.env.BENCH_SMAPS) breakdown();
}

/** With BENCH_SMAPS: where each process's PSS is, by mapping (a library, the heap, anonymous
 * memory, GPU buffers), the largest first. */
function breakdown() {
  for (const { pid, name } of appTree()) {
    let text;
    try {
      text = readFileSync(`/proc/${pid}/smaps`, "utf8");
    } catch {
      continue;
    }
    const by = new Map();
    let mapping = "?";
    for (const line of text.split("\n")) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) {
        mapping = (head[1] || "[anonymous]").replace(/^.*\//, "");
        continue;
      }
      const pss = /^Pss:\s+(\d+) kB/.exec(line);
      if (pss) by.set(mapping, (by.get(mapping) ?? 0) + Number(pss[1]));
    }
    const top = [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(`  ${name} (${pid}): ${top.map(([m, kb]) => `${m} ${(kb / 1024).toFixed(1)}`).join(", ")}`);
  }
}

const driver = await startDriver({ env: { MEMBERDESK_DATA_DIR: dataDir } });
let app;
try {
  const launched = performance.now();
  app = await launchApp(driver);
  await app.byTestId("signin-demo", { timeoutMs: 60000 });
  const coldStart = performance.now() - launched;
  console.log(`cold start to the sign-in screen: ${coldStart.toFixed(0)} ms`);
  await new Promise((r) => setTimeout(r, 5000));
  memory("at rest on the sign-in screen");

  const signIn = performance.now();
  const outside = process.env.BENCH_PORTAL_URL;
  if (outside) {
    await app.activate('[data-testid="signin-method-password"]');
    await app.byTestId("signin-password");
    await app.replaceText("signin-portal-url", outside);
    await app.replaceText("signin-username", process.env.BENCH_USERNAME ?? "");
    await app.replaceText("signin-password", process.env.BENCH_PASSWORD ?? "");
    await waitFor("the sign-in button to take the typed values", async () =>
      app.execute("return !document.querySelector('[data-testid=signin-enterprise]').disabled"),
    );
    await app.activate('[data-testid="signin-enterprise"]');
  } else {
    await (await app.byTestId("signin-demo")).click();
  }
  const count = await waitFor(
    "every member in the table",
    async () => {
      const text = (await (await app.byTestId("members-count")).text()).trim();
      return /^[\d,]+ members$/.test(text) ? text : null;
    },
    { timeoutMs: 600000, intervalMs: 250 },
  );
  console.log(`sign-in, load and first table of ${count}: ${(performance.now() - signIn).toFixed(0)} ms`);

  // Keystrokes: type words letter by letter and delete them again, as people do. For each,
  // the time from the input event to React's commit of the result (the page marks the text
  // whose result it shows in data-filter-text), and to the frame that paints it.
  const samples = await app.execute(`
    const input = document.querySelector('[data-testid="members-filter-text"]');
    const page = document.querySelector("[data-filter-text]");
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    const words = ["smith", "jo", "anderson", "lee", "ma", "garcia", "example.com", "xq"];
    const texts = [];
    for (const w of words) {
      for (let i = 1; i <= w.length; i++) texts.push(w.slice(0, i));
      for (let i = w.length - 1; i >= 0; i--) texts.push(w.slice(0, i));
    }
    return (async () => {
      const commit = [];
      const paint = [];
      for (const text of texts) {
        await frame();
        await new Promise((r) => setTimeout(r, 20));
        const shown = new Promise((resolve) => {
          const watch = new MutationObserver(() => {
            if (page.dataset.filterText === text) {
              watch.disconnect();
              resolve(performance.now());
            }
          });
          watch.observe(page, { attributes: true, attributeFilter: ["data-filter-text"] });
        });
        const t0 = performance.now();
        input.value = text;
        input.dispatchEvent(new CustomEvent("calciteInputInput", { bubbles: true }));
        const committed = await shown;
        const painted = await frame();
        commit.push(committed - t0);
        paint.push(painted - t0);
      }
      return { commit, paint };
    })();
  `);
  const stats = (list) => {
    const sorted = [...list].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
  };
  console.log(`keystroke to table committed (${samples.commit.length} keystrokes): ${stats(samples.commit)}`);
  console.log(`keystroke to the frame showing it: ${stats(samples.paint)}`);
  // What a frame costs with nothing to do: the floor under "the frame showing it".
  const idle = await app.execute(`
    return new Promise((done) => {
      const times = [];
      const tick = (t) => { times.push(t); if (times.length < 61) requestAnimationFrame(tick); else done(times); };
      requestAnimationFrame(tick);
    });
  `);
  const gaps = idle.slice(1).map((t, i) => t - idle[i]);
  console.log(`idle frame interval in this window: ${stats(gaps)}`);

  // The Licenses view: from the click to its figures on screen, then from a license line to its
  // holders in the members table (both counted from every member on this computer).
  const licensesAt = performance.now();
  await app.activate('[data-testid="nav-licenses"]');
  await waitFor(
    "the seat lines",
    async () => (await app.execute("return document.querySelectorAll('[data-testid=seat-line]').length")) > 0,
    { timeoutMs: 60000, intervalMs: 20 },
  );
  console.log(`open the Licenses view (${count}): ${(performance.now() - licensesAt).toFixed(0)} ms`);
  const key = await app.execute("return document.querySelector('[data-testid=seat-line][data-kind=license]')?.dataset.key");
  const holdersAt = performance.now();
  await app.activate(`[data-testid="seat-line"][data-key="${key}"] [data-testid="seat-holders"]`);
  const holders = await waitFor(
    "the holders in the table",
    async () => {
      const text = (await (await app.byTestId("members-count")).text()).trim();
      return / of [\d,]+ members$/.test(text) ? text : null;
    },
    { timeoutMs: 60000, intervalMs: 20 },
  );
  console.log(`a license line to its holders in the table (${holders}): ${(performance.now() - holdersAt).toFixed(0)} ms`);
  await app.activate('[data-testid="members-clear-filters"]');

  const pids = (pattern) =>
    execFileSync("pgrep", ["-f", pattern], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  const appPids = pids(appBinary);
  const webPids = pids("WebKitWebProcess");

  // CPU at rest: user + system time of each process over a quiet window, as a share of one core.
  const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  const cpuTicks = (list) =>
    list.reduce((sum, pid) => {
      // Fields after the command's closing parenthesis: utime is the 12th, stime the 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      return sum + Number(fields[11]) + Number(fields[12]);
    }, 0);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // After heavy work the web process keeps busy for a few seconds (garbage collection, JIT),
  // in bursts a second or more apart, then rests. One-second windows are read until the last
  // five are all under 5% of a core (30 s at most): the figure is those five seconds, and the
  // settling time what came before them.
  const cpuAtRest = async (label) => {
    const windows = [];
    do {
      const [web0, app0] = [cpuTicks(webPids), cpuTicks(appPids)];
      await sleep(1000);
      windows.push({ web: cpuTicks(webPids) - web0, app: cpuTicks(appPids) - app0 });
    } while (windows.length < 30 && (windows.length < 5 || windows.slice(-5).some((w) => (100 * w.web) / ticksPerSecond >= 5)));
    const rest = windows.slice(-5);
    const share = (key) => ((100 * rest.reduce((s, w) => s + w[key], 0)) / ticksPerSecond / rest.length).toFixed(1);
    const settled = windows.length - rest.length;
    console.log(
      `CPU at rest ${label} (5 s, after ${settled} s settling): web process ${share("web")}%, app ${share("app")}%`,
    );
  };
  const filterTo = (text) =>
    app.execute(
      `
      const input = document.querySelector('[data-testid="members-filter-text"]');
      input.value = arguments[0];
      input.dispatchEvent(new CustomEvent("calciteInputInput", { bubbles: true }));`,
      [text],
    );
  await filterTo("smith");
  await cpuAtRest("with the filter 'smith'");
  await filterTo("");
  await cpuAtRest("after the filter is cleared");

  // Memory at rest: read every 3 s until two readings in a row are within 2 MiB (the
  // allocators give back what the last work freed a few seconds after it), at most 30 s; a
  // figure that keeps growing is printed with the 30 s.
  let settling = 0;
  for (let last = pssTotal(pssByKind()); settling < 30; ) {
    await new Promise((r) => setTimeout(r, 3000));
    settling += 3;
    const now = pssTotal(pssByKind());
    if (Math.abs(now - last) < 2048) break;
    last = now;
  }
  memory(`at rest with ${count} loaded (after ${settling} s settling)`);
} finally {
  await app?.end();
  await driver.stop();
}
