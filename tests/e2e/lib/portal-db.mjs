// Reads the embedded portal's SQLite database directly, so a test checks what the portal
// holds, not only what the screen says. Python's standard sqlite3 module does the reading
// (Node 20 has no SQLite built in); the database is opened read-only.
import { execFileSync } from "node:child_process";

/** Runs one SQL query with parameters; returns the rows as arrays. */
export function query(databasePath, sql, params = []) {
  const script = `
import json, sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
print(json.dumps(db.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()))
`;
  const out = execFileSync("python3", ["-c", script, databasePath, sql, JSON.stringify(params)], {
    encoding: "utf8",
  });
  return JSON.parse(out);
}

/** The single value of a one-row, one-column query. */
export function scalar(databasePath, sql, params = []) {
  return query(databasePath, sql, params)[0][0];
}
