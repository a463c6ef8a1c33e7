import { eq, sql } from "drizzle-orm";
import { rateLimitBuckets } from "~/db/schema";
import { getDb } from "~/lib/db.server";

export type Bucket = { hits: number; resetAt: Date };

/**
 * Counts one more hit in a fixed window, in one upsert so that concurrent
 * requests on any number of app processes count exactly.
 */
export async function hitBucket(key: string, windowSeconds: number): Promise<Bucket> {
  const [row] = await getDb()
    .insert(rateLimitBuckets)
    .values({ key, hits: 1, windowEndsAt: sql`now() + make_interval(secs => ${windowSeconds})` })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: {
        hits: sql`case when ${rateLimitBuckets.windowEndsAt} <= now() then 1 else ${rateLimitBuckets.hits} + 1 end`,
        windowEndsAt: sql`case when ${rateLimitBuckets.windowEndsAt} <= now()
          then now() + make_interval(secs => ${windowSeconds}) else ${rateLimitBuckets.windowEndsAt} end`,
      },
    })
    .returning({ hits: rateLimitBuckets.hits, resetAt: rateLimitBuckets.windowEndsAt });
  return row!;
}

/** The hits counted so far in the current window (0 when the window has passed). */
export async function peekBucket(key: string): Promise<Bucket> {
  const [row] = await getDb()
    .select({ hits: rateLimitBuckets.hits, resetAt: rateLimitBuckets.windowEndsAt })
    .from(rateLimitBuckets)
    .where(sql`${rateLimitBuckets.key} = ${key} and ${rateLimitBuckets.windowEndsAt} > now()`);
  return row ?? { hits: 0, resetAt: new Date() };
}

export async function clearBucket(key: string) {
  await getDb().delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
}
