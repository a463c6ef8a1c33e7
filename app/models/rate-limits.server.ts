import { eq, sql } from "drizzle-orm";
import { rateLimitBuckets } from "~/db/schema";
import { builtOnce } from "~/lib/built-once.server";
import { getDb, type Executor } from "~/lib/db.server";

export type Bucket = { hits: number; resetAt: Date };
/** A limit's bucket for one subject, for a write that counts the attempt in its own transaction. */
export type BucketLimit = { key: string; limit: number; windowSeconds: number };

const hitBucketQuery = builtOnce((db) =>
  db
    .insert(rateLimitBuckets)
    .values({
      key: sql.placeholder("key"),
      hits: 1,
      windowEndsAt: sql`now() + make_interval(secs => ${sql.placeholder("windowSeconds")})`,
    })
    .onConflictDoUpdate({
      target: rateLimitBuckets.key,
      set: {
        hits: sql`case when ${rateLimitBuckets.windowEndsAt} <= now() then 1 else ${rateLimitBuckets.hits} + 1 end`,
        windowEndsAt: sql`case when ${rateLimitBuckets.windowEndsAt} <= now()
          then now() + make_interval(secs => ${sql.placeholder("windowSeconds")}) else ${rateLimitBuckets.windowEndsAt} end`,
      },
    })
    .returning({ hits: rateLimitBuckets.hits, resetAt: rateLimitBuckets.windowEndsAt })
    .prepare("hit_rate_limit_bucket"),
);

/**
 * Counts one more hit in a fixed window, in one upsert so that concurrent
 * requests on any number of app processes count exactly.
 */
export async function hitBucket(
  key: string,
  windowSeconds: number,
  executor: Executor = getDb(),
): Promise<Bucket> {
  const [row] = await hitBucketQuery(executor, { key, windowSeconds });
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
