// A fresh embedded portal for one test file: `portal-emulator serve` with its fixed command line
// (in memory, seeded), started from $PORTAL_EMULATOR, stopped by the caller.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/**
 * Starts a portal with `admin` (`USER:PASSWORD`) and `seedUsers` realistic members. With `tls`
 * it serves HTTPS and hands back its certificate (PEM) so a client can trust exactly it.
 * Returns `{ rest, origin, certificate, stop }`, `rest` being `<origin>/sharing/rest`.
 */
export async function startPortal({ admin, seedUsers, tls = false }) {
  const binary = process.env.PORTAL_EMULATOR;
  assert.ok(binary, "PORTAL_EMULATOR must name the portal-emulator binary");
  const scratch = tls ? mkdtempSync(join(tmpdir(), "compat-portal-")) : null;
  const certPath = scratch && join(scratch, "cert.pem");
  const args = ["serve", "--data", ":memory:", "--admin", admin, "--seed-users", String(seedUsers)];
  if (tls) args.push("--tls", "--cert-out", certPath);
  const server = spawn(binary, args, { stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: server.stdout });
    rl.once("line", resolve);
    server.once("exit", (code) => reject(new Error(`portal-emulator exited with ${code}`)));
  });
  const rest = line.split("listening on ")[1];
  assert.ok(rest?.endsWith("/sharing/rest"), line);
  const certificate = certPath ? readFileSync(certPath, "utf8") : null;
  return {
    rest,
    origin: rest.slice(0, -"/sharing/rest".length),
    certificate,
    stop() {
      server.kill();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
  };
}
