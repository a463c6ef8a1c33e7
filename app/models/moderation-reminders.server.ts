import { and, eq, inArray, sql } from "drizzle-orm";
import { comments, posts, settings, users } from "~/db/schema";
import { executeRows, getDb } from "~/lib/db.server";
import { readEnvironment } from "~/lib/env.server";
import { sendMail } from "~/lib/mail.server";

const REMINDER_KEY = "moderation_reminder_sent_at";
/** An item waiting longer than this earns the moderators an e-mail. */
export const STALE_AFTER_HOURS = 24;

/**
 * E-mails every moderator and admin, at most once a day, when something in
 * the queue has waited more than 24 hours. Returns how many e-mails went out.
 * The advisory lock and the stored time make it safe to run from every app
 * process each hour.
 */
export async function remindModeratorsOfWaitingItems(): Promise<number> {
  const reminder = await getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('crosswalk-moderation-reminder'))`);
    const [last] = await tx
      .select({ value: settings.value })
      .from(settings)
      .where(eq(settings.key, REMINDER_KEY));
    const lastSent = typeof last?.value === "string" ? new Date(last.value) : null;
    if (lastSent && Date.now() - lastSent.getTime() < 24 * 3_600_000) return null;

    const [waiting] = await executeRows<{ count: number; oldest: string | null }>(
      sql`select count(*)::int as count, min(created_at)::text as oldest from (
            select ${posts.createdAt} as created_at from ${posts} where ${posts.status} = 'pending'
            union all
            select ${comments.createdAt} from ${comments} join ${posts} on ${posts.id} = ${comments.postId}
            where ${comments.status} = 'pending' and ${posts.status} <> 'removed'
          ) as waiting
          where created_at < now() - make_interval(hours => ${STALE_AFTER_HOURS})`,
      tx,
    );
    if (!waiting || waiting.count === 0) return null;
    const recipients = await tx
      .select({ email: users.email, displayName: users.displayName })
      .from(users)
      .where(and(inArray(users.role, ["moderator", "admin"]), eq(users.status, "active")));
    const now = new Date().toISOString();
    await tx
      .insert(settings)
      .values({ key: REMINDER_KEY, value: now })
      .onConflictDoUpdate({ target: settings.key, set: { value: now, updatedAt: sql`now()` } });
    return { count: waiting.count, recipients };
  });
  if (!reminder) return 0;

  const queueUrl = `${readEnvironment().publicUrl}/mod`;
  for (const recipient of reminder.recipients) {
    await sendMail({
      to: recipient.email,
      subject: `Crosswalk: ${reminder.count} ${reminder.count === 1 ? "item has" : "items have"} waited over a day`,
      text: [
        `Hello ${recipient.displayName},`,
        "",
        `${reminder.count} ${reminder.count === 1 ? "post or comment has" : "posts or comments have"} been waiting for a moderator for more than ${STALE_AFTER_HOURS} hours.`,
        "The people who wrote them can't see them published until someone decides.",
        "",
        `The queue: ${queueUrl}`,
      ].join("\n"),
    });
  }
  return reminder.recipients.length;
}
