// The command-line tool: `npm run forum -- <command>`. See `--help`.
import { parseArgs } from "node:util";
import { z } from "zod";
import { userRole } from "~/db/schema";
import { seedDemoContentIfEmpty } from "~/db/seed.server";
import { EnvironmentError, readEnvironment } from "~/lib/env.server";
import { startApp, stopApp } from "~/lib/lifecycle.server";
import { createMailTransport, deliverDueMail } from "~/lib/mail.server";
import { exportMemberData, findMemberId } from "~/models/member-data.server";
import { queueNotificationEmails } from "~/models/notification-mail.server";
import { setRoleByEmail } from "~/models/users.server";

const usage = `Usage: npm run forum -- <command>

Commands:
  migrate                    apply the database migrations (the server also does this at start-up)
  seed                       put the demo forum into an empty database
  user:role <email> <role>   make an account a member, moderator or admin
  mail:send                  deliver the mail that is due in the outbox now, through SMTP_URL
  export --user <who>        print a member's data as JSON (what "Download my data" on /settings
                             gives them); <who> is their e-mail address or username
  help                       show this message

The database is the one the server uses: DATABASE_URL when set, otherwise the
embedded database in DATA_DIR (default ./data). The embedded database can be
used by one process at a time: stop the server before running a command on it.`;

const commandSchema = z.enum(["migrate", "seed", "user:role", "mail:send", "export", "help"]);
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
      options: { help: { type: "boolean", short: "h" }, user: { type: "string" } },
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
  if (command.data === "export" && !exportedMember) {
    fail("export needs --user <email or username>.");
  }
  if (command.data !== "export" && exportedMember !== undefined) {
    fail(`"${command.data}" takes no --user.`);
  }

  const environment = readEnvironment();
  // The command delivers once itself; the server's loop would only race it.
  const summary = await startApp(environment, { seed: false, maintenance: false, mailLoop: false });
  try {
    if (command.data === "migrate") {
      process.stdout.write(`Migrations applied to the ${summary.database}.\n`);
    } else if (command.data === "export") {
      const userId = await findMemberId(exportedMember!);
      const exported = userId === undefined ? undefined : await exportMemberData(userId);
      if (!exported) {
        process.stderr.write(`There is no member with the e-mail address or username ${exportedMember}.\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(`${JSON.stringify(exported, null, 2)}\n`);
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
