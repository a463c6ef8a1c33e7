import { and, eq, gt, lte, ne, or, sql } from "drizzle-orm";
import { sessions, users } from "~/db/schema";
import { builtOnce } from "~/lib/built-once.server";
import { getDb, type Executor } from "~/lib/db.server";
import { pendingItemsCount } from "./moderation.server";
import { unreadNotificationsCount } from "./notifications.server";

export const SESSION_IDLE_DAYS = 14;
export const SESSION_ABSOLUTE_DAYS = 30;
// Refresh "last seen" at most this often, so reading pages does not write on every request.
const TOUCH_AFTER_MINUTES = 60;

export async function insertSession(
  values: { idHash: string; userId: number; ipAddress: string | null; userAgent: string | null },
  executor: Executor = getDb(),
) {
  await executor.insert(sessions).values({
    ...values,
    userAgent: values.userAgent?.slice(0, 500) ?? null,
    expiresAt: sql`now() + make_interval(days => ${SESSION_ABSOLUTE_DAYS})`,
  });
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof findSessionUser>>>;

const sessionUserQuery = builtOnce((db) =>
  db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      status: users.status,
      libraryType: users.libraryType,
      needsTouch: sql<boolean>`${sessions.lastSeenAt} < now() - make_interval(mins => ${TOUCH_AFTER_MINUTES})`,
      // The header's counts come with the session: a page costs no statement for them.
      unreadNotifications: unreadNotificationsCount(sql`${users.id}`),
      pendingItems: sql<
        number | null
      >`case when ${users.role} in ('moderator', 'admin') then ${pendingItemsCount()} end`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.idHash, sql.placeholder("idHash")),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(days => ${SESSION_IDLE_DAYS})`),
        or(
          eq(users.status, "active"),
          and(eq(users.status, "suspended"), lte(users.suspendedUntil, sql`now()`)),
        ),
      ),
    )
    .limit(1)
    .prepare("session_user"),
);

/**
 * The active member behind a session, if the session is live (not expired, not
 * idle too long). A suspension whose end has passed no longer counts; it is
 * lifted and logged at the member's next log-in (checkMemberStanding).
 */
export async function findSessionUser(idHash: string) {
  const [row] = await sessionUserQuery(getDb(), { idHash });
  if (!row) return undefined;
  const { needsTouch, ...rest } = row;
  // Only a suspension that has ended gets this far without being active.
  const user = { ...rest, status: "active" as typeof rest.status };
  if (needsTouch)
    await getDb()
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(sessions.idHash, idHash));
  return user;
}

export async function deleteSession(idHash: string) {
  await getDb().delete(sessions).where(eq(sessions.idHash, idHash));
}

/** Ends every session of a member, or every one but `keepIdHash`. */
export async function deleteUserSessions(
  userId: number,
  options: { keepIdHash?: string } = {},
  executor: Executor = getDb(),
) {
  await executor
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        options.keepIdHash ? ne(sessions.idHash, options.keepIdHash) : undefined,
      ),
    );
}

export async function countUserSessions(userId: number) {
  const [row] = await getDb()
    .select({ count: sql<number>`count(*)::int` })
    .from(sessions)
    .where(eq(sessions.userId, userId));
  return row?.count ?? 0;
}
