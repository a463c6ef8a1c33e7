import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const projectRoot = path.resolve(import.meta.dirname, "../..");

// The tool always runs here on an embedded database of its own, never on the test server.
function forum(args: string[], dataDir: string) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/forum.ts", ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run forum", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswalk-cli-"));
  });
  afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints its commands with --help and exits 0", () => {
    const result = forum(["--help"], dataDir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: npm run forum -- <command>");
    expect(result.stdout).toMatch(/migrate/);
    expect(result.stdout).toMatch(/seed/);
  });

  it.each([
    [[], /Usage:/],
    [["frobnicate"], /Unknown command: frobnicate/],
    [["seed", "extra"], /"seed" takes no arguments/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["user:role"], /user:role needs <email> <member\|moderator\|admin>/],
    [["user:role", "maria@example.org", "overlord"], /the role must be member, moderator or admin/],
    [["user:role", "not-an-email", "admin"], /the first argument must be an e-mail address/],
    [["user:role", "maria@example.org", "admin", "extra"], /user:role needs/],
  ])("answers %j with a usage message and exit code 2", (args, message) => {
    const result = forum(args, dataDir);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(message);
    expect(result.stdout + result.stderr).toContain("Usage: npm run forum -- <command>");
  });

  it("migrates, seeds an empty database, and does not seed it twice", () => {
    const migrated = forum(["migrate"], dataDir);
    expect(migrated.stderr).toBe("");
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain("Migrations applied");

    const seeded = forum(["seed"], dataDir);
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain("Demo content seeded");

    const again = forum(["seed"], dataDir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already has members; nothing was seeded");

    const promoted = forum(["user:role", "Maria-Okafor@example.org", "moderator"], dataDir);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toContain("@maria-okafor is now a moderator.");

    const unknown = forum(["user:role", "nobody@example.org", "admin"], dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("There is no account with the e-mail address nobody@example.org.");
  });

  it("refuses to open the embedded database while another process holds it", async () => {
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      fs.writeFileSync(path.join(dataDir, "crosswalk.lock"), `${holder.pid}\n`);
      const result = forum(["migrate"], dataDir);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`is in use by another Crosswalk process (pid ${holder.pid})`);
      expect(result.stderr).toContain(dataDir);
    } finally {
      holder.kill();
    }
  });
});
