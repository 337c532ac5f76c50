// The web app's origin in the Maps SDK tests: a small static HTTP server on 127.0.0.1 (a port
// of its own, so another origin than the portal's) serving one page and, under `/modules/`,
// the ES modules of node_modules as they are. The page's import map resolves the SDK's bare
// imports (`tslib`, `lit`, ...) to files there, and a style sheet imported as a module
// becomes a module that links it: what a bundler would do.
import { createReadStream, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".css": "text/css",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".html": "text/html; charset=utf-8",
};

/** The file an `exports` target names for a browser's `import`, or null. */
function browserTarget(target) {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) return target.map(browserTarget).find(Boolean) ?? null;
  if (target && typeof target === "object") {
    for (const condition of ["browser", "import", "module", "default"]) {
      const found = browserTarget(target[condition]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The import map of every package in `nodeModules`, served from `/modules/`: each package's
 * entry and `exports` subpaths (browser / import / module / default conditions), and its
 * folder for deep imports. Import maps have no mid-path wildcards, so `exports` patterns
 * other than a trailing `*` are left out (the SDK's imports do not need them).
 */
export function importMap(nodeModules) {
  const imports = {};
  const names = readdirSync(nodeModules)
    .filter((n) => !n.startsWith("."))
    .flatMap((n) => (n.startsWith("@") ? readdirSync(join(nodeModules, n)).map((m) => `${n}/${m}`) : [n]));
  for (const name of names) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(join(nodeModules, name, "package.json"), "utf8"));
    } catch {
      continue;
    }
    const at = (file) => `/modules/${name}/${file.replace(/^\.\//, "")}`;
    imports[`${name}/`] = `/modules/${name}/`;
    const exports =
      typeof pkg.exports === "string" || Array.isArray(pkg.exports) || (pkg.exports && !Object.keys(pkg.exports)[0]?.startsWith("."))
        ? { ".": pkg.exports }
        : pkg.exports;
    if (!exports) {
      imports[name] = at(pkg.module ?? pkg.main ?? "index.js");
      continue;
    }
    for (const [subpath, target] of Object.entries(exports)) {
      const file = browserTarget(target);
      if (!file) continue;
      const specifier = subpath === "." ? name : `${name}/${subpath.replace(/^\.\//, "")}`;
      if (!specifier.includes("*")) {
        imports[specifier] = at(file);
      } else if (specifier.endsWith("/*") && file.endsWith("/*")) {
        imports[specifier.slice(0, -1)] = at(file.slice(0, -1));
      }
    }
  }
  return { imports };
}

/**
 * Serves `page` (HTML text) at `/`, and files below `nodeModules` at `/modules/...`. Returns
 * `{ origin, stop }`.
 */
export async function startStaticServer({ page, nodeModules }) {
  const root = normalize(nodeModules) + sep;
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (req.method !== "GET") {
      res.writeHead(405).end();
      return;
    }
    if (path === "/") {
      res.writeHead(200, { "Content-Type": TYPES[".html"], "Cache-Control": "no-store" }).end(page);
      return;
    }
    const file = normalize(join(root, path.replace(/^\/modules\//, "")));
    let size = -1;
    try {
      const found = path.startsWith("/modules/") && file.startsWith(root) && statSync(file);
      size = found?.isFile() ? found.size : -1;
    } catch {
      size = -1;
    }
    if (size < 0) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
      return;
    }
    if (extname(file) === ".css" && req.headers["sec-fetch-dest"] === "script") {
      // `import "x.css"` (Calcite's runtime does it): a module that links the style sheet,
      // as a bundler would.
      const link = `const l = document.createElement("link"); l.rel = "stylesheet"; l.href = ${JSON.stringify(path)}; document.head.append(l);`;
      res.writeHead(200, { "Content-Type": TYPES[".js"] }).end(link);
      return;
    }
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Content-Length": size,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
