import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
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

/** Like forum(), but leaves the event loop free, for a test server in this process to answer the tool. */
function forumAsync(args: string[], dataDir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/forum.ts", ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: "", DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
}

/** The smallest SMTP server nodemailer will talk to: it accepts every message and keeps its text. */
async function startMailServer() {
  const received: string[] = [];
  const server = net.createServer((socket) => {
    let buffer = "";
    let data: string[] | null = null;
    socket.write("220 localhost ESMTP test\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === ".") {
            received.push(data.join("\n"));
            data = null;
            socket.write("250 queued\r\n");
          } else data.push(line);
        } else if (/^(EHLO|HELO)/i.test(line)) socket.write("250 localhost\r\n");
        else if (/^DATA/i.test(line)) {
          data = [];
          socket.write("354 go ahead\r\n");
        } else if (/^QUIT/i.test(line)) socket.end("221 bye\r\n");
        else socket.write("250 ok\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => server.close() };
}

/** Reads or writes the tool's embedded database between runs (no tool may be running then). */
async function withToolDatabase<T>(dataDir: string, work: (db: PGlite) => Promise<T>) {
  const db = await PGlite.create(path.join(dataDir, "pglite"));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

// Each test runs the tool as a child process, and each run starts an embedded
// PostgreSQL (4 to 10 s): the export and import test alone makes six runs, about
// 35 s on an idle machine and over 60 s on a busy one. The ceiling is for a hung
// run, not a measure of speed.
describe("npm run forum", { timeout: 180_000 }, () => {
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
    [["import"], /import needs --file <path>/],
    [["import", "--file", "/nonexistent/crosswalk-backup.jsonl"], /There is no file \/nonexistent/],
    [["seed", "--file", "x.jsonl"], /"seed" takes no --file/],
    [["seed", "--user", "maria-okafor"], /"seed" takes no --user/],
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

  it("export --user prints a member's data as JSON, found by e-mail address or username", () => {
    expect(forum(["seed"], dataDir).code).toBe(0);
    const byEmail = forum(["export", "--user", "Maria-Okafor@example.org"], dataDir);
    expect(byEmail.stderr).toBe("");
    expect(byEmail.code).toBe(0);
    const exported = JSON.parse(byEmail.stdout);
    expect(exported.format).toBe("crosswalk-member-export");
    expect(exported.account).toMatchObject({ username: "maria-okafor", email: "maria-okafor@example.org" });
    expect(exported.posts.length + exported.replies.length).toBeGreaterThan(0);

    const byUsername = forum(["export", "--user", "maria-okafor"], dataDir);
    expect(byUsername.code).toBe(0);
    expect(JSON.parse(byUsername.stdout).account.username).toBe("maria-okafor");

    const unknown = forum(["export", "--user", "nobody@example.org"], dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      "There is no member with the e-mail address or username nobody@example.org.",
    );
  });

  it("export writes the whole forum to a file only its owner can read, and import brings it into a new data folder", () => {
    expect(forum(["seed"], dataDir).code).toBe(0);
    const backup = path.join(dataDir, "forum.jsonl");
    const exported = forum(["export", "--file", backup], dataDir);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(
      /^Exported \d+ rows in \d+ tables from the embedded PGlite .* to .*forum\.jsonl\.\n$/,
    );
    expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
    expect(forum(["export", "--file", backup], dataDir).stderr).toContain("already exists");

    const otherDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswalk-cli-import-"));
    try {
      const imported = forum(["import", "--file", backup], otherDataDir);
      expect(imported.stderr).toBe("");
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(
        /^Imported \d+ rows in \d+ tables from .*forum\.jsonl into the embedded PGlite/,
      );
      expect(imported.stdout).toContain("everyone logs in again");
      // Exported again from the new folder, the forum is the same file but for the time it was made.
      const again = forum(["export"], otherDataDir);
      expect(again.code).toBe(0);
      const withoutTime = (text: string) => text.replace(/"exportedAt":"[^"]+"/, "");
      expect(withoutTime(again.stdout)).toBe(withoutTime(fs.readFileSync(backup, "utf8")));

      const twice = forum(["import", "--file", backup], otherDataDir);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain("The database is not empty");
      expect(twice.stderr).toContain("Nothing was imported.");
    } finally {
      fs.rmSync(otherDataDir, { recursive: true, force: true });
    }
  });

  it("mail:send delivers what is due once, keeps what fails for later, and needs SMTP_URL", async () => {
    // It opens (and migrates) the database before it finds no mail server.
    const withoutServer = forum(["mail:send"], dataDir);
    expect(withoutServer.code).toBe(1);
    expect(withoutServer.stderr).toContain("SMTP_URL is not set");

    await withToolDatabase(dataDir, async (db) => {
      for (const to of ["first@example.org", "second@example.org"]) {
        await db.query("insert into outbox (to_address, subject, text_body) values ($1, $2, $3)", [
          to,
          "Hello from the outbox",
          `Hello, ${to}.`,
        ]);
      }
    });

    // Nothing listens on a port just closed: the mail server is down.
    const down = await startMailServer();
    down.close();
    const failed = await forumAsync(["mail:send"], dataDir, { SMTP_URL: down.url });
    expect(failed.stdout).toContain("Sent 0 messages; 2 failed.");
    expect(failed.code).toBe(1);
    await withToolDatabase(dataDir, async (db) => {
      const { rows } = await db.query<{ sent_at: Date | null; attempts: number; last_error: string | null }>(
        "select sent_at, attempts, last_error from outbox order by id",
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.sent_at).toBeNull();
        expect(row.attempts).toBe(1);
        expect(row.last_error).toMatch(/ECONNREFUSED/);
      }
      // Time passes: the retry is due.
      await db.query("update outbox set next_attempt_at = now() - interval '1 second'");
    });

    const mailServer = await startMailServer();
    try {
      const sent = await forumAsync(["mail:send"], dataDir, { SMTP_URL: mailServer.url });
      expect(sent.stderr).toBe("");
      expect(sent.stdout).toContain("Sent 2 messages; 0 failed.");
      expect(sent.code).toBe(0);
      expect(mailServer.received).toHaveLength(2);
      expect(mailServer.received.join("\n")).toContain("Hello, first@example.org.");

      const again = await forumAsync(["mail:send"], dataDir, { SMTP_URL: mailServer.url });
      expect(again.stdout).toContain("Sent 0 messages; 0 failed.");
      expect(mailServer.received).toHaveLength(2);
    } finally {
      mailServer.close();
    }
  }, 120_000);

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
