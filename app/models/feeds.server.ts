import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { comments, postTags, posts, tags, users } from "~/db/schema";
import { getDb } from "~/lib/db.server";

/** How many posts a site or tag feed carries, and how many comments a thread feed. */
export const FEED_POST_LIMIT = 20;
export const FEED_COMMENT_LIMIT = 50;

// Enough markdown for a plain-text summary (plainExcerpt cuts it to 200 characters).
const EXCERPT_SOURCE = 1000;

const feedPostColumns = {
  id: posts.id,
  title: posts.title,
  slug: posts.slug,
  bodyHtml: posts.bodyHtml,
  bodyStart: sql<string>`left(${posts.bodyMd}, ${EXCERPT_SOURCE})`,
  createdAt: posts.createdAt,
  editedAt: posts.editedAt,
  authorDisplayName: users.displayName,
  authorUsername: users.username,
};

export type FeedPost = Awaited<ReturnType<typeof listFeedPosts>>[number];
export type FeedComment = NonNullable<Awaited<ReturnType<typeof getThreadFeed>>>["comments"][number];

/**
 * The newest published posts by creation, newest first, for the site feed or,
 * with `tagId`, a tag's feed. One read on the published-by-created index.
 */
export async function listFeedPosts({
  tagId,
  limit = FEED_POST_LIMIT,
}: { tagId?: number; limit?: number } = {}) {
  return getDb()
    .select(feedPostColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(
      and(
        eq(posts.status, "published"),
        tagId === undefined
          ? undefined
          : sql`exists (select 1 from ${postTags} where ${postTags.postId} = ${posts.id} and ${postTags.tagId} = ${tagId})`,
      ),
    )
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(limit);
}

/** A tag by its name, or undefined when there is none. */
export async function getFeedTag(name: string) {
  const [tag] = await getDb()
    .select({ id: tags.id, name: tags.name, description: tags.description, createdAt: tags.createdAt })
    .from(tags)
    .where(eq(tags.name, name))
    .limit(1);
  return tag;
}

/** A tag's feed: the tag and its newest published posts, or undefined for an unknown tag. */
export async function getTagFeed(name: string) {
  const tag = await getFeedTag(name);
  if (!tag) return undefined;
  return { tag, posts: await listFeedPosts({ tagId: tag.id }) };
}

/**
 * A thread's feed: the published post and its newest approved comments that
 * their authors have not deleted, newest first; undefined when the post is
 * not published (held, hidden, removed) or does not exist.
 */
export async function getThreadFeed(postId: number, limit = FEED_COMMENT_LIMIT) {
  const [post] = await getDb()
    .select(feedPostColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.id, postId), eq(posts.status, "published")))
    .limit(1);
  if (!post) return undefined;
  const threadComments = await getDb()
    .select({
      id: comments.id,
      bodyHtml: comments.bodyHtml,
      bodyStart: sql<string>`left(${comments.bodyMd}, ${EXCERPT_SOURCE})`,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      authorDisplayName: users.displayName,
      authorUsername: users.username,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.postId, post.id), eq(comments.status, "approved"), isNull(comments.deletedAt)))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(limit);
  return { post, comments: threadComments };
}
