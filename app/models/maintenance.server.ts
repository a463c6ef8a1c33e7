import { sql } from "drizzle-orm";
import { passwordResetTokens, rateLimitBuckets, sessions } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { SESSION_IDLE_DAYS } from "./sessions.server";

/**
 * Deletes rows that can never be used again: ended sessions, passed
 * rate-limit windows, and reset tokens a day after they expired or were used.
 * Returns how many rows each table lost.
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
  return {
    sessions: expiredSessions.length + idleSessions.length,
    rateLimitBuckets: passedWindows.length,
    passwordResetTokens: spentTokens.length,
  };
}
