import { sql } from "drizzle-orm";
import { outbox, passwordResetTokens, rateLimitBuckets, sessions } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { SESSION_IDLE_DAYS } from "./sessions.server";

/**
 * How long delivered mail stays in the outbox (and on /admin/outbox): long
 * enough to answer "did my notice go out?", short enough that copies of
 * members' addresses and of what was said to them do not pile up.
 */
export const SENT_MAIL_RETENTION_DAYS = 30;

/**
 * Deletes rows that can never be used again: ended sessions, passed
 * rate-limit windows, reset tokens a day after they expired or were used, and
 * mail delivered more than SENT_MAIL_RETENTION_DAYS ago (mail not yet
 * delivered is never deleted). Returns how many rows each table lost.
 */
export async function deleteExpiredRows() {
  const db = getDb();
  // Two statements, so that each condition is served by its own index.
  const expiredSessions = await db
    .delete(sessions)
    .where(sql`${sessions.expiresAt} <= now()`)
    .returning({ idHash: sessions.idHash });
  const idleSessions = await db
    .delete(sessions)
    .where(sql`${sessions.lastSeenAt} <= now() - make_interval(days => ${SESSION_IDLE_DAYS})`)
    .returning({ idHash: sessions.idHash });
  const passedWindows = await db
    .delete(rateLimitBuckets)
    .where(sql`${rateLimitBuckets.windowEndsAt} <= now()`)
    .returning({ key: rateLimitBuckets.key });
  const spentTokens = await db
    .delete(passwordResetTokens)
    .where(
      sql`coalesce(${passwordResetTokens.usedAt}, ${passwordResetTokens.expiresAt}) <= now() - interval '1 day'`,
    )
    .returning({ tokenHash: passwordResetTokens.tokenHash });
  // The outbox is trimmed by this very statement, so scanning it stays cheap without an index.
  const oldMail = await db
    .delete(outbox)
    .where(sql`${outbox.sentAt} <= now() - make_interval(days => ${SENT_MAIL_RETENTION_DAYS})`)
    .returning({ id: outbox.id });
  return {
    sessions: expiredSessions.length + idleSessions.length,
    rateLimitBuckets: passedWindows.length,
    passwordResetTokens: spentTokens.length,
    sentMail: oldMail.length,
  };
}
