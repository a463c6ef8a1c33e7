import { and, asc, count, desc, eq, inArray, isNull, lte, min, sql } from "drizzle-orm";
import { outbox } from "~/db/schema";
import { getDb, type Transaction } from "~/lib/db.server";

export type OutboxMessage = {
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody?: string | null;
  headers?: Record<string, string>;
};

/** Queues a message; inside a transaction it is queued only if that transaction commits. */
export async function insertOutboxMessage(
  message: OutboxMessage,
  executor: Transaction | ReturnType<typeof getDb> = getDb(),
) {
  const [row] = await executor.insert(outbox).values(message).returning({ id: outbox.id });
  return row!;
}

/**
 * Claims up to `limit` due messages for one sender, oldest first, and leases
 * them: their next attempt moves `leaseSeconds` ahead and their attempts go
 * up by one, so no other process picks them while this one sends.
 *
 * It is one statement, so the lock it takes lasts only as long as the
 * statement: nothing holds a transaction open while mail goes out (the
 * embedded database has a single connection). SKIP LOCKED lets several
 * processes claim at once without waiting on, or taking, each other's rows.
 */
export async function claimDueOutboxMessages(limit: number, leaseSeconds: number) {
  const db = getDb();
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(isNull(outbox.sentAt), lte(outbox.nextAttemptAt, sql`now()`)))
    .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(outbox)
    .set({
      attempts: sql`${outbox.attempts} + 1`,
      nextAttemptAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
    })
    .where(inArray(outbox.id, due))
    .returning({
      id: outbox.id,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      textBody: outbox.textBody,
      htmlBody: outbox.htmlBody,
      headers: outbox.headers,
      attempts: outbox.attempts,
      createdAt: outbox.createdAt,
    });
  // RETURNING follows no particular order.
  return claimed.sort((a, b) => a.id - b.id);
}

export type ClaimedOutboxMessage = Awaited<ReturnType<typeof claimDueOutboxMessages>>[number];

export async function markOutboxSent(id: number) {
  await getDb()
    .update(outbox)
    .set({ sentAt: sql`now()`, lastError: null })
    .where(eq(outbox.id, id));
}

/** Records a failed attempt; the message stays queued and is due again after `retryAfterSeconds`. */
export async function markOutboxFailed(id: number, error: string, retryAfterSeconds: number) {
  await getDb()
    .update(outbox)
    .set({
      lastError: error.slice(0, 1000),
      nextAttemptAt: sql`now() + make_interval(secs => ${retryAfterSeconds})`,
    })
    .where(and(eq(outbox.id, id), isNull(outbox.sentAt)));
}

export async function listRecentOutboxMessages(limit = 50) {
  return getDb()
    .select({
      id: outbox.id,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      textBody: outbox.textBody,
      sentAt: outbox.sentAt,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      nextAttemptAt: outbox.nextAttemptAt,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit);
}

/** How much mail is still waiting, and since when: stuck mail can be older than the newest 50. */
export async function summarizeUndeliveredOutbox() {
  const [summary] = await getDb()
    .select({ count: count(), oldest: min(outbox.createdAt) })
    .from(outbox)
    .where(isNull(outbox.sentAt));
  return { count: summary?.count ?? 0, oldest: summary?.oldest ?? null };
}
