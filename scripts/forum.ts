// The command-line tool: `npm run forum -- <command>`. See `--help`.
import { once } from "node:events";
import fs from "node:fs";
import readline from "node:readline";
import type { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { z } from "zod";
import { userRole } from "~/db/schema";
import { seedDemoContentIfEmpty } from "~/db/seed.server";
import { EnvironmentError, readEnvironment } from "~/lib/env.server";
import { startApp, stopApp } from "~/lib/lifecycle.server";
import { createMailTransport, deliverDueMail } from "~/lib/mail.server";
import { exportForum, ForumImportError, importForum } from "~/models/forum-backup.server";
import { exportMemberData, findMemberId } from "~/models/member-data.server";
import { queueNotificationEmails } from "~/models/notification-mail.server";
import { setRoleByEmail } from "~/models/users.server";

const usage = `Usage: npm run forum -- <command>

Commands:
  migrate                    apply the database migrations (the server also does this at start-up)
  seed                       put the demo forum into an empty database
  user:role <email> <role>   make an account a member, moderator or admin
  mail:send                  deliver the mail that is due in the outbox now, through SMTP_URL
  export [--file <path>]     write the whole forum (members, posts, replies, settings, mail
                             waiting to go) as JSON lines to <path>, or to standard output;
                             sessions and reset links are left out, so everyone logs in again
  import --file <path>       read such an export into an empty database (a new DATA_DIR, or
                             DATABASE_URL naming a new database); all of it or, on any error, none
  export --user <who>        print a member's data as JSON (what "Download my data" on /settings
                             gives them); <who> is their e-mail address or username
  help                       show this message

The database is the one the server uses: DATABASE_URL when set, otherwise the
embedded database in DATA_DIR (default ./data). The embedded database can be
used by one process at a time: stop the server before running a command on it.`;

const commandSchema = z.enum(["migrate", "seed", "user:role", "mail:send", "export", "import", "help"]);
const userRoleArguments = z.tuple([
  z.string().email("the first argument must be an e-mail address"),
  z.enum(userRole.enumValues, { error: "the role must be member, moderator or admin" }),
]);

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        help: { type: "boolean", short: "h" },
        user: { type: "string" },
        file: { type: "string" },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const [commandName, ...rest] = parsed.positionals;
  if (parsed.values.help || commandName === undefined) {
    process.stdout.write(`${usage}\n`);
    process.exit(commandName === undefined && !parsed.values.help ? 2 : 0);
  }
  const command = commandSchema.safeParse(commandName);
  if (!command.success) fail(`Unknown command: ${commandName}`);
  if (command.data === "help") {
    process.stdout.write(`${usage}\n`);
    return;
  }
  let roleChange: z.infer<typeof userRoleArguments> | undefined;
  if (command.data === "user:role") {
    const parsedArguments = userRoleArguments.safeParse(rest);
    if (!parsedArguments.success) {
      fail(
        `user:role needs <email> <member|moderator|admin>: ${parsedArguments.error.issues[0]?.message ?? ""}`,
      );
    }
    roleChange = parsedArguments.data;
  } else if (rest.length > 0) {
    fail(`"${command.data}" takes no arguments (got: ${rest.join(" ")}).`);
  }
  const exportedMember = parsed.values.user;
  const file = parsed.values.file;
  if (command.data !== "export" && exportedMember !== undefined) {
    fail(`"${command.data}" takes no --user.`);
  }
  if (command.data === "import" && !file) fail("import needs --file <path> (a file written by export).");
  if (command.data !== "export" && command.data !== "import" && file !== undefined) {
    fail(`"${command.data}" takes no --file.`);
  }
  // Checked before the database is opened, so a mistyped name costs nothing.
  if (command.data === "import" && !fs.existsSync(file!)) fail(`There is no file ${file}.`);
  if (command.data === "export" && file && fs.existsSync(file)) {
    fail(`${file} already exists: choose another name, or remove it first.`);
  }

  const environment = readEnvironment();
  // The command delivers once itself; the server's loop would only race it.
  const summary = await startApp(environment, { seed: false, maintenance: false, mailLoop: false });
  try {
    if (command.data === "migrate") {
      process.stdout.write(`Migrations applied to the ${summary.database}.\n`);
    } else if (command.data === "export" && exportedMember !== undefined) {
      const userId = await findMemberId(exportedMember);
      const exported = userId === undefined ? undefined : await exportMemberData(userId);
      if (!exported) {
        process.stderr.write(`There is no member with the e-mail address or username ${exportedMember}.\n`);
        process.exitCode = 1;
      } else {
        await writeOutput(file, [JSON.stringify(exported, null, 2)]);
      }
    } else if (command.data === "export") {
      const counts = await writeForumExport(file);
      if (file)
        process.stderr.write(`Exported ${describeCounts(counts)} from the ${summary.database} to ${file}.\n`);
    } else if (command.data === "import") {
      try {
        const lines = readline.createInterface({ input: fs.createReadStream(file!), crlfDelay: Infinity });
        const counts = await importForum(lines);
        process.stdout.write(
          `Imported ${describeCounts(counts)} from ${file} into the ${summary.database}. ` +
            "Sessions are not part of an export: everyone logs in again.\n",
        );
      } catch (error) {
        if (!(error instanceof ForumImportError)) throw error;
        process.stderr.write(`${error.message}\nNothing was imported.\n`);
        process.exitCode = 1;
      }
    } else if (command.data === "mail:send") {
      process.exitCode = await sendDueMail(environment.SMTP_URL);
    } else if (roleChange) {
      const [email, role] = roleChange;
      const changed = await setRoleByEmail(email, role);
      if (!changed) {
        process.stderr.write(`There is no account with the e-mail address ${email}.\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(
          `@${changed.username} is now ${changed.role === "admin" ? "an" : "a"} ${changed.role}.\n`,
        );
      }
    } else {
      const seeded = await seedDemoContentIfEmpty();
      process.stdout.write(
        seeded
          ? `Demo content seeded into the ${summary.database}. Log in with any demo e-mail and the password "${summary.demoPassword}".\n`
          : `The ${summary.database} already has members; nothing was seeded.\n`,
      );
    }
  } finally {
    await stopApp();
  }
}

const describeCounts = (counts: Record<string, number>) => {
  const rows = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return `${rows} ${rows === 1 ? "row" : "rows"} in ${Object.keys(counts).length} tables`;
};

/**
 * Opens where an export goes: a new file only the owner can read (it holds
 * addresses and password hashes), or standard output.
 */
function openOutput(file: string | undefined): Writable {
  return file ? fs.createWriteStream(file, { flags: "wx", mode: 0o600 }) : process.stdout;
}

/** Writes one line, waiting while the stream's buffer is full so memory stays bounded. */
async function writeLine(output: Writable, line: string) {
  if (!output.write(`${line}\n`)) await once(output, "drain");
}

/** Ends a file and flushes it to disk, so "Exported" means the copy survives a power cut. */
async function closeOutput(output: Writable, file: string | undefined) {
  if (!file) return;
  await new Promise<void>((resolve, reject) =>
    output.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  const descriptor = fs.openSync(file, "r");
  try {
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}

async function writeOutput(file: string | undefined, lines: string[]) {
  const output = openOutput(file);
  for (const line of lines) await writeLine(output, line);
  await closeOutput(output, file);
}

/** The whole forum into `file` (removed again if the export fails part-way) or to standard output. */
async function writeForumExport(file: string | undefined) {
  const output = openOutput(file);
  try {
    const counts = await exportForum((line) => writeLine(output, line));
    await closeOutput(output, file);
    return counts;
  } catch (error) {
    if (file) {
      output.destroy();
      fs.rmSync(file, { force: true });
    }
    throw error;
  }
}

/** Delivers what is due once; the exit code says whether everything went. */
async function sendDueMail(smtpUrl: string | undefined) {
  const transport = createMailTransport(smtpUrl);
  if (!transport) {
    process.stderr.write(
      "SMTP_URL is not set, so there is no mail server to send to. The mail stays in the outbox (/admin/outbox).\n",
    );
    return 1;
  }
  try {
    // Notification mail that has come due goes out in the same run.
    await queueNotificationEmails();
    const { sent, failed } = await deliverDueMail({ transport });
    process.stdout.write(`Sent ${sent} ${sent === 1 ? "message" : "messages"}; ${failed} failed.\n`);
    if (failed === 0) return 0;
    process.stdout.write(
      "Failed messages stay in the outbox and are tried again later, less often each time; /admin/outbox shows why.\n",
    );
    return 1;
  } finally {
    transport.close?.();
  }
}

main().catch((error: unknown) => {
  const known =
    error instanceof EnvironmentError || (error instanceof Error && error.name === "DataDirLockedError");
  process.stderr.write(`${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
