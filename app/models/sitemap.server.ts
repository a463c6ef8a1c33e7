import { asc, desc, eq, gt, sql } from "drizzle-orm";
import { posts, tags } from "~/db/schema";
import { getDb } from "~/lib/db.server";

/** The sitemap protocol's limit on URLs in one file (https://www.sitemaps.org/protocol.html). */
export const SITEMAP_URL_LIMIT = 50_000;

/** The pages the sitemap always lists besides tags and posts: / and /tags. */
const FIXED_PAGES = 2;

/**
 * What a search engine may index: the tags in use and the published posts,
 * most recently active first. Held, hidden and removed posts are left out, as
 * a visitor cannot open them. Together with the fixed pages they stay within
 * one file's limit; past it the least recently active posts are the ones
 * left out. A forum that large needs a sitemap index, which this is not.
 */
export async function listSitemapEntries() {
  const db = getDb();
  const tagRows = await db
    .select({ name: tags.name })
    .from(tags)
    .where(gt(tags.postCount, 0))
    .orderBy(asc(tags.name))
    .limit(SITEMAP_URL_LIMIT - FIXED_PAGES);
  const postRows = await db
    .select({
      id: posts.id,
      slug: posts.slug,
      // An edit changes the page without counting as activity.
      lastModifiedAt: sql<Date>`greatest(${posts.lastActivityAt}, ${posts.editedAt})`.mapWith(
        posts.lastActivityAt,
      ),
    })
    .from(posts)
    .where(eq(posts.status, "published"))
    // The published-activity index serves this order and the limit.
    .orderBy(desc(posts.lastActivityAt), desc(posts.id))
    .limit(SITEMAP_URL_LIMIT - FIXED_PAGES - tagRows.length);
  return { tags: tagRows, posts: postRows };
}
