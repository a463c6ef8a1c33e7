import { eq, sql } from "drizzle-orm";
import { emailPreferences, users } from "~/db/schema";
import {
  DEFAULT_EMAIL_FREQUENCY,
  EMAIL_TOPICS,
  type EmailFrequency,
  type EmailTopic,
} from "~/lib/email-topics";
import { executeRows, getDb, type Executor } from "~/lib/db.server";

/**
 * Sets how often a member gets e-mail about one topic. Returns false when the
 * member no longer exists (an old unsubscribe link can outlive its account).
 */
export async function setEmailPreference(
  userId: number,
  topic: EmailTopic,
  frequency: EmailFrequency,
  executor: Executor = getDb(),
): Promise<boolean> {
  const rows = await executeRows<{ user_id: number }>(
    sql`insert into email_preferences (user_id, topic, frequency)
        select id, ${topic}::email_topic, ${frequency}::email_frequency from users where id = ${userId}
        on conflict (user_id, topic) do update set frequency = excluded.frequency, updated_at = now()
        returning user_id`,
    executor,
  );
  return rows.length > 0;
}

/**
 * Turns off every topic that now goes into the member's daily or weekly
 * digest (its own choice, or the topic's default), which is what the
 * digest's unsubscribe link promises. Returns the topics turned off, or null
 * when the member no longer exists.
 */
export async function stopDigestEmails(
  userId: number,
  digest: "daily" | "weekly",
): Promise<EmailTopic[] | null> {
  return getDb().transaction(async (tx) => {
    const [member] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!member) return null;
    const chosen = await tx
      .select({ topic: emailPreferences.topic, frequency: emailPreferences.frequency })
      .from(emailPreferences)
      .where(eq(emailPreferences.userId, userId));
    const frequencyOf = new Map(chosen.map((row) => [row.topic, row.frequency]));
    const inDigest = EMAIL_TOPICS.filter(
      (topic) => (frequencyOf.get(topic) ?? DEFAULT_EMAIL_FREQUENCY[topic]) === digest,
    );
    for (const topic of inDigest) await setEmailPreference(userId, topic, "never", tx);
    return inDigest;
  });
}

/** Every topic's frequency for a member: their choice, or the topic's default. */
export async function getEmailPreferences(userId: number): Promise<Record<EmailTopic, EmailFrequency>> {
  const rows = await getDb()
    .select({ topic: emailPreferences.topic, frequency: emailPreferences.frequency })
    .from(emailPreferences)
    .where(eq(emailPreferences.userId, userId));
  const preferences = { ...DEFAULT_EMAIL_FREQUENCY };
  for (const row of rows) preferences[row.topic] = row.frequency;
  return preferences;
}

/** Stores the given topics' frequencies in one statement, so a save is all or nothing. */
export async function saveEmailPreferences(
  userId: number,
  preferences: Partial<Record<EmailTopic, EmailFrequency>>,
) {
  const values = EMAIL_TOPICS.flatMap((topic) => {
    const frequency = preferences[topic];
    return frequency === undefined ? [] : [{ userId, topic, frequency }];
  });
  if (values.length === 0) return;
  await getDb()
    .insert(emailPreferences)
    .values(values)
    .onConflictDoUpdate({
      target: [emailPreferences.userId, emailPreferences.topic],
      set: { frequency: sql`excluded.frequency`, updatedAt: sql`now()` },
    });
}
