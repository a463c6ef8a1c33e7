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

/** Takes back one hit (an attempt that turned out not to count). */
export async function refundBucket(key: string) {
  await getDb()
    .update(rateLimitBuckets)
    .set({ hits: sql`greatest(${rateLimitBuckets.hits} - 1, 0)` })
    .where(sql`${rateLimitBuckets.key} = ${key} and ${rateLimitBuckets.windowEndsAt} > now()`);
}

export async function clearBucket(key: string) {
  await getDb().delete(rateLimitBuckets).where(eq(rateLimitBuckets.key, key));
}
