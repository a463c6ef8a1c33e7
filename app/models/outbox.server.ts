import { desc, eq, sql } from "drizzle-orm";
import { outbox } from "~/db/schema";
import { getDb } from "~/lib/db.server";

export async function insertOutboxMessage(message: { toAddress: string; subject: string; textBody: string }) {
  const [row] = await getDb().insert(outbox).values(message).returning({ id: outbox.id });
  return row!;
}

export async function markOutboxSent(id: number) {
  await getDb()
    .update(outbox)
    .set({ sentAt: sql`now()`, attempts: sql`${outbox.attempts} + 1`, lastError: null })
    .where(eq(outbox.id, id));
}

export async function markOutboxFailed(id: number, error: string) {
  await getDb()
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error.slice(0, 1000) })
    .where(eq(outbox.id, id));
}

export async function listRecentOutboxMessages(limit = 50) {
  return getDb()
    .select({
      id: outbox.id,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      textBody: outbox.textBody,
      sentAt: outbox.sentAt,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit);
}
