import path from "node:path";
import { listDemoAccounts, seedDemoContentIfEmpty, DEMO_PASSWORD, type DemoAccount } from "~/db/seed.server";
import { acquireDataDirLock } from "./data-dir-lock.server";
import { deleteExpiredRows } from "~/models/maintenance.server";
import { remindModeratorsOfWaitingItems } from "~/models/moderation-reminders.server";
import { queueNotificationEmails } from "~/models/notification-mail.server";
import { closeDatabase, connectDatabase, listenToDatabase, migrateDatabase } from "./db.server";
import type { Environment } from "./env.server";
import { logger } from "./logger.server";
import { createMailTransport, nudgeMailLoop, startMailLoop, stopMailLoop } from "./mail.server";
import { CONTENT_CHANGED_CHANNEL, visitorPages } from "./visitor-pages.server";

export type StartSummary = {
  database: string;
  seeded: boolean;
  demoAccounts: DemoAccount[];
  demoPassword: string;
};

let releaseDataDirLock: (() => void) | undefined;
let stopListeningForChanges: (() => Promise<void>) | undefined;
let maintenanceTimer: NodeJS.Timeout | undefined;
const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;
let notificationMailTimer: NodeJS.Timeout | undefined;
let notificationMailRun: Promise<void> | null = null;
// "Immediately" means within this long; digests are decided on the same tick.
const NOTIFICATION_MAIL_INTERVAL_MS = 30 * 1000;

/** Turns due notifications into outbox mail; one run at a time per process. */
function runNotificationMail() {
  if (notificationMailRun) return;
  notificationMailRun = queueNotificationEmails()
    .then((queued) => {
      if (queued.immediate + queued.digests > 0) {
        logger.info(queued, "queued notification e-mail");
        nudgeMailLoop();
      }
    })
    .catch((error: unknown) => logger.error({ err: error }, "queueing notification e-mail failed"))
    .finally(() => {
      notificationMailRun = null;
    });
}

async function runMaintenance() {
  try {
    logger.info({ deleted: await deleteExpiredRows() }, "deleted expired rows");
    const reminded = await remindModeratorsOfWaitingItems();
    if (reminded > 0) logger.info({ reminded }, "reminded moderators of items waiting over a day");
  } catch (error) {
    logger.error({ err: error }, "maintenance failed");
  }
}

/** The embedded database's own folder inside DATA_DIR (which also holds generated secrets). */
export function embeddedDatabaseDir(dataDir: string) {
  return path.join(dataDir, "pglite");
}

/**
 * Opens the database for this process (locking DATA_DIR for the embedded one),
 * applies migrations and seeds the demo forum into an empty database. With
 * SMTP_URL set it also starts the loop that delivers the outbox.
 */
export async function startApp(
  environment: Environment,
  options: { seed?: boolean; maintenance?: boolean; mailLoop?: boolean } = {},
): Promise<StartSummary> {
  let database: string;
  if (environment.DATABASE_URL) {
    connectDatabase({
      driver: "postgres",
      url: environment.DATABASE_URL,
      poolSize: environment.DATABASE_POOL_SIZE,
    });
    database = `PostgreSQL server (${redactUrl(environment.DATABASE_URL)})`;
  } else {
    releaseDataDirLock = acquireDataDirLock(environment.dataDir);
    connectDatabase({ driver: "pglite", dataDir: embeddedDatabaseDir(environment.dataDir) });
    database = `embedded PGlite in ${environment.dataDir}`;
  }
  try {
    await migrateDatabase();
    const seeded = (options.seed ?? environment.DEMO) ? await seedDemoContentIfEmpty() : false;
    const demoAccounts = await listDemoAccounts();
    if (options.maintenance ?? true) {
      maintenanceTimer = setInterval(() => void runMaintenance(), MAINTENANCE_INTERVAL_MS);
      maintenanceTimer.unref();
      notificationMailTimer = setInterval(runNotificationMail, NOTIFICATION_MAIL_INTERVAL_MS);
      notificationMailTimer.unref();
    }
    // Without SMTP_URL there is nowhere to send: mail stays in the outbox.
    const mailTransport = createMailTransport(environment.SMTP_URL);
    if (mailTransport && (options.mailLoop ?? true)) startMailLoop(mailTransport);
    return { database, seeded, demoAccounts, demoPassword: DEMO_PASSWORD };
  } catch (error) {
    await stopApp();
    throw error;
  }
}

/**
 * Keeps visitors' pages in memory (VISITOR_CACHE_MB), forgotten whenever the
 * database says something a visitor can see changed. Only a process that
 * serves pages calls this; the CLI and the tests do not.
 */
export async function startVisitorPageCache(environment: Environment) {
  visitorPages.configure(environment.VISITOR_CACHE_MB);
  if (environment.VISITOR_CACHE_MB === 0) return;
  stopListeningForChanges = await listenToDatabase(CONTENT_CHANGED_CHANNEL, {
    notified: () => visitorPages.invalidate(),
    listening: (yes) => visitorPages.trustNotifications(yes),
  });
}

export async function stopApp() {
  visitorPages.configure(0);
  await stopListeningForChanges?.().catch((error: unknown) =>
    logger.warn({ err: error }, "could not stop listening for changes"),
  );
  stopListeningForChanges = undefined;
  clearInterval(maintenanceTimer);
  maintenanceTimer = undefined;
  clearInterval(notificationMailTimer);
  notificationMailTimer = undefined;
  await notificationMailRun;
  await stopMailLoop();
  await closeDatabase();
  releaseDataDirLock?.();
  releaseDataDirLock = undefined;
}

function redactUrl(url: string) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "configured URL";
  }
}
