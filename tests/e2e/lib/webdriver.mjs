// A small W3C WebDriver client for driving the real Memberdesk window through tauri-driver
// (which forwards to WebKitWebDriver on Linux). Plain HTTP + JSON, no dependencies: the
// endpoints are those of https://www.w3.org/TR/webdriver2/.

const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

export class WebDriverError extends Error {
  constructor(method, path, status, value) {
    super(`${method} ${path} -> HTTP ${status}: ${value?.error ?? ""} ${value?.message ?? ""}`);
    this.name = "WebDriverError";
    this.status = status;
    this.error = value?.error;
  }
}

/** No WebDriver command takes this long unless the driver is stuck: fail, never hang. */
const COMMAND_TIMEOUT_MS = 120_000;

async function call(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WebDriverError(method, path, response.status, { message: text.slice(0, 300) });
  }
  if (!response.ok) throw new WebDriverError(method, path, response.status, json.value);
  return json.value;
}

/** Waits until `probe()` returns a truthy value, or fails with `what` after `timeoutMs`. */
export async function waitFor(what, probe, { timeoutMs = 15000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
        (lastError ? ` (last error: ${lastError.message})` : ""));
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export class Element {
  constructor(session, id) {
    this.session = session;
    this.id = id;
  }
  #path(suffix) {
    return `/session/${this.session.id}/element/${this.id}${suffix}`;
  }
  text() {
    return this.session.request("GET", this.#path("/text"));
  }
  attribute(name) {
    return this.session.request("GET", this.#path(`/attribute/${encodeURIComponent(name)}`));
  }
  property(name) {
    return this.session.request("GET", this.#path(`/property/${encodeURIComponent(name)}`));
  }
  click() {
    return this.session.request("POST", this.#path("/click"), {});
  }
  clear() {
    return this.session.request("POST", this.#path("/clear"), {});
  }
  type(text) {
    return this.session.request("POST", this.#path("/value"), { text });
  }
  displayed() {
    return this.session.request("GET", this.#path("/displayed"));
  }
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  /** Starts a session of the app binary through a WebDriver server at `base`. */
  static async start(base, application, { args = [], env } = {}) {
    const tauriOptions = { application, args };
    if (env) tauriOptions.env = env;
    const value = await call(base, "POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": tauriOptions } },
    });
    return new Session(base, value.sessionId);
  }

  request(method, path, body) {
    return call(this.base, method, path, body);
  }

  title() {
    return this.request("GET", `/session/${this.id}/title`);
  }

  async find(css) {
    const value = await this.request("POST", `/session/${this.id}/element`, {
      using: "css selector",
      value: css,
    });
    return new Element(this, value[ELEMENT_KEY]);
  }

  async findAll(css) {
    const values = await this.request("POST", `/session/${this.id}/elements`, {
      using: "css selector",
      value: css,
    });
    return values.map((v) => new Element(this, v[ELEMENT_KEY]));
  }

  /** Finds by the stable `data-testid` the UI puts on every control. */
  byTestId(id, { timeoutMs } = {}) {
    return waitFor(`[data-testid="${id}"]`, () => this.find(`[data-testid="${id}"]`), {
      timeoutMs,
    });
  }

  /**
   * Replaces the text of a Calcite input (found by `data-testid`) as a person does: focus
   * its native field inside the shadow root, select all (Ctrl+A), type. Element Send Keys on
   * the inner field (W3C shadow-root endpoints).
   */
  async replaceText(testId, text) {
    const host = await this.byTestId(testId);
    const shadow = await this.request("GET", `/session/${this.id}/element/${host.id}/shadow`);
    const shadowId = Object.values(shadow)[0];
    const inner = await this.request("POST", `/session/${this.id}/shadow/${shadowId}/element`, {
      using: "css selector",
      value: "input, textarea",
    });
    const field = new Element(this, inner[ELEMENT_KEY]);
    await field.type(`\uE009a\uE009${text}`);
  }

  /** Types `text` into whatever has the keyboard focus, as a person would (W3C actions). */
  async keys(text) {
    const actions = [];
    for (const ch of text) actions.push({ type: "keyDown", value: ch }, { type: "keyUp", value: ch });
    await this.request("POST", `/session/${this.id}/actions`, {
      actions: [{ type: "key", id: "keyboard", actions }],
    });
  }

  /**
   * Activates the element matching `css` with a DOM click dispatched from a task of its own.
   * Only for controls whose real click never returns: WebKitWebDriver (WebKitGTK 2.4x, Xvfb)
   * waits forever on an Element Click, and on an Enter key, whose handler opens the member
   * panel or refills the virtualized table, although the app stays responsive (a DOM click
   * from a timer works and later commands are answered). Everything else is clicked for real.
   */
  async activate(css) {
    const found = await this.execute(
      `const host = document.querySelector(arguments[0]);
       if (!host) return false;
       // A Calcite menu item listens on the link inside its shadow root, as a real click hits it.
       const el = (host.shadowRoot && host.shadowRoot.querySelector("[role=menuitem]")) || host;
       setTimeout(() => el.click(), 0);
       return true;`,
      [css],
    );
    if (!found) throw new Error(`nothing matches ${css}`);
  }

  /**
   * Chooses `value` in a Calcite select (found by `data-testid`) the way a person's choice
   * reaches it: the native <select> inside its shadow root takes the value and fires
   * `change`, which Calcite turns into `calciteSelectChange`. (Opening the native drop-down
   * under Xvfb shows a GTK popup WebDriver cannot reach.)
   */
  async chooseOption(testId, value) {
    // The select (or the option) may still be rendering after the click that brought it.
    let chosen = "";
    const deadline = Date.now() + 10000;
    do {
      chosen = await this.chooseOnce(testId, value);
      if (chosen === "ok") return;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    throw new Error(`${testId}: ${chosen}`);
  }

  chooseOnce(testId, value) {
    return this.execute(
      `const host = document.querySelector('[data-testid="' + arguments[0] + '"]');
       const select = host && host.shadowRoot && host.shadowRoot.querySelector("select");
       if (!select) return "no select";
       select.value = arguments[1];
       if (select.value !== arguments[1]) return "no option " + arguments[1];
       select.dispatchEvent(new Event("change", { bubbles: true }));
       return "ok";`,
      [testId, value],
    );
  }

  execute(script, args = []) {
    return this.request("POST", `/session/${this.id}/execute/sync`, { script, args });
  }

  /** A PNG of the window, as a Buffer. */
  async screenshot() {
    const base64 = await this.request("GET", `/session/${this.id}/screenshot`);
    return Buffer.from(base64, "base64");
  }

  async end() {
    try {
      await this.request("DELETE", `/session/${this.id}`);
    } catch (e) {
      // The app may already be gone; what is left, the driver's stop ends.
      process.stderr.write(`ending the WebDriver session failed: ${e.message}\n`);
    }
  }
}
