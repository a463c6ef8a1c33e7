import { and, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { posts, users, type PostKind } from "~/db/schema";
import type { Cursor } from "~/lib/cursor";
import { getDb } from "~/lib/db.server";

export const POSTS_PER_PAGE = 20;
/** The home page shows this many pinned posts; pinning more is refused so none goes missing. */
export const MAX_PINNED_POSTS = 5;

// Microsecond text of a timestamptz in UTC: the keyset value of a cursor.
const cursorTimestamp = (column: SQL | typeof posts.lastActivityAt) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * A post's tag names, sorted, as a column of a query on posts. Spelled with
 * explicit table names: Drizzle leaves columns unqualified in a query on one
 * table, and inside this subquery a bare "id" would mean tags.id.
 */
export const postTagNames = sql<string[]>`array(
  select t.name from post_tags pt join tags t on t.id = pt.tag_id
  where pt.post_id = "posts"."id" order by t.name)`;

const authorColumns = {
  authorUsername: users.username,
  authorDisplayName: users.displayName,
  authorLibraryType: users.libraryType,
};

export type PostListItem = Awaited<ReturnType<typeof listLatestPosts>>["posts"][number];

const listColumns = {
  id: posts.id,
  kind: posts.kind,
  title: posts.title,
  slug: posts.slug,
  bodyStart: sql<string>`left(${posts.bodyMd}, 400)`,
  commentCount: posts.commentCount,
  helpfulCount: posts.helpfulCount,
  lastActivityAt: posts.lastActivityAt,
  createdAt: posts.createdAt,
  activityKey: cursorTimestamp(posts.lastActivityAt),
  tags: postTagNames,
  ...authorColumns,
};

/**
 * Published posts, newest activity first, a page at a time by keyset. With
 * `excludePinned` the pinned posts are left out of every page, for a list
 * that shows them above its first page (listPinnedPosts): a filter on the
 * same partial index, so no post repeats and the keyset stays whole.
 */
export async function listLatestPosts({
  kind,
  cursor,
  excludePinned = false,
  limit = POSTS_PER_PAGE,
}: {
  kind?: PostKind;
  cursor?: Cursor | null;
  excludePinned?: boolean;
  limit?: number;
}) {
  const rows = await getDb()
    .select(listColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(
      and(
        eq(posts.status, "published"),
        kind ? eq(posts.kind, kind) : undefined,
        excludePinned ? eq(posts.pinned, false) : undefined,
        cursor
          ? sql`(${posts.lastActivityAt}, ${posts.id}) < (${cursor.at}::timestamptz, ${cursor.id})`
          : undefined,
      ),
    )
    .orderBy(desc(posts.lastActivityAt), desc(posts.id))
    .limit(limit + 1);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor: Cursor | null =
    rows.length > limit && last ? { at: last.activityKey, id: last.id } : null;
  return { posts: page, nextCursor };
}

/**
 * Published pinned posts, newest activity first. Pinning stops at
 * MAX_PINNED_POSTS (moderatePost), so this is all of them.
 */
export async function listPinnedPosts(limit = MAX_PINNED_POSTS) {
  return getDb()
    .select(listColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.status, "published"), eq(posts.pinned, true)))
    .orderBy(desc(posts.lastActivityAt), desc(posts.id))
    .limit(limit);
}

/** A published post with its author and tags, or undefined. */
export async function getPublishedPost(postId: number) {
  return getVisiblePost(postId, null);
}

/**
 * A post as `viewer` may see it: published; still held when the viewer wrote
 * it or moderates; hidden only to moderators, who may restore it. Undefined
 * otherwise.
 */
export async function getVisiblePost(postId: number, viewer: { id: number; isModerator: boolean } | null) {
  const [post] = await getDb()
    .select({
      id: posts.id,
      authorId: posts.authorId,
      kind: posts.kind,
      title: posts.title,
      slug: posts.slug,
      bodyHtml: posts.bodyHtml,
      locked: posts.locked,
      pinned: posts.pinned,
      commentCount: posts.commentCount,
      helpfulCount: posts.helpfulCount,
      acceptedCommentId: posts.acceptedCommentId,
      status: posts.status,
      createdAt: posts.createdAt,
      editedAt: posts.editedAt,
      lastActivityAt: posts.lastActivityAt,
      tags: postTagNames,
      ...authorColumns,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(
      and(
        eq(posts.id, postId),
        viewer === null
          ? eq(posts.status, "published")
          : viewer.isModerator
            ? inArray(posts.status, ["published", "pending", "hidden"])
            : or(
                eq(posts.status, "published"),
                and(eq(posts.status, "pending"), eq(posts.authorId, viewer.id)),
              ),
      ),
    )
    .limit(1);
  return post;
}

/** A member's published posts, newest first. */
export async function listPublishedPostsByAuthor(authorId: number, limit = POSTS_PER_PAGE) {
  return getDb()
    .select({
      id: posts.id,
      kind: posts.kind,
      title: posts.title,
      slug: posts.slug,
      commentCount: posts.commentCount,
      createdAt: posts.createdAt,
    })
    .from(posts)
    .where(and(eq(posts.authorId, authorId), eq(posts.status, "published")))
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(limit);
}
