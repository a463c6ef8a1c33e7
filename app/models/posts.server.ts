import { and, asc, desc, eq, gt, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { posts, storyDetails, tags, users, type PostKind } from "~/db/schema";
import { isHelpfulCursor, type ListCursor } from "~/lib/cursor";
import { builtOnce } from "~/lib/built-once.server";
import { getDb } from "~/lib/db.server";

export const POSTS_PER_PAGE = 20;
/** The home page shows this many pinned posts; pinning more is refused so none goes missing. */
export const MAX_PINNED_POSTS = 5;

// Microsecond text of a timestamptz in UTC: the keyset value of a cursor.
const cursorTimestamp = (column: SQL | PgColumn) =>
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

/** A Success story's card in a list (null for other posts), from a left join of story_details. */
export const storyCardColumns = {
  programType: storyDetails.programType,
  partners: storyDetails.partners,
  gradeBands: storyDetails.gradeBands,
  reach: storyDetails.reach,
  outcomeMeasure: storyDetails.outcomeMeasure,
  outcomeBefore: storyDetails.outcomeBefore,
  outcomeAfter: storyDetails.outcomeAfter,
  staffHours: storyDetails.staffHours,
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
  createdKey: cursorTimestamp(posts.createdAt),
  tags: postTagNames,
  ...authorColumns,
  story: storyCardColumns,
};

/** The orders of the public post lists (SPEC: ?sort=). */
export const postSorts = ["active", "new", "top", "unanswered"] as const;
export type PostSort = (typeof postSorts)[number];

export function isPostSort(value: string): value is PostSort {
  return (postSorts as readonly string[]).includes(value);
}

/** How far back the "top" sort looks (?period=); "month" unless asked. */
export const topPeriods = ["week", "month", "year", "all"] as const;
export type TopPeriod = (typeof topPeriods)[number];

export function isTopPeriod(value: string): value is TopPeriod {
  return (topPeriods as readonly string[]).includes(value);
}

// Postgres intervals, passed as parameters: never spliced into the SQL.
const periodIntervals: Record<Exclude<TopPeriod, "all">, string> = {
  week: "7 days",
  month: "1 month",
  year: "1 year",
};

/** A post carries the tag called `name`: an indexed probe of post_tags, no row duplication. */
const hasTag = (name: string) => sql`exists (
  select 1 from post_tags pt join tags t on t.id = pt.tag_id
  where pt.post_id = "posts"."id" and t.name = ${name})`;

/**
 * Published posts a page at a time by keyset (never OFFSET), in one of the
 * list orders, each a total order ending in id so no two posts tie:
 *
 * - active: (last_activity_at desc, id desc);
 * - new: (created_at desc, id desc);
 * - unanswered: questions with no accepted answer, no approved reply and no summary of answers, as new;
 * - top: created within `period`, (helpful_count desc, id desc).
 *
 * A timestamp sort takes and gives a timestamp cursor, "top" a helpful-count
 * cursor; a cursor of the other kind is refused (the route answers 400 first).
 * Posts written between two page views sort before any cursor handed out
 * (newest activity, newest creation, or the highest id among equal counts),
 * so they never push an older post into a repeat or a gap.
 *
 * With `excludePinned` the pinned posts are left out of every page, for a list
 * that shows them above its first page (pinnedPostsQuery): a filter on the
 * same partial index, so no post repeats and the keyset stays whole.
 */
export async function listLatestPosts({
  kind,
  tag,
  sort = "active",
  period = "month",
  cursor,
  excludePinned = false,
  withPinned = false,
  limit = POSTS_PER_PAGE,
}: {
  kind?: PostKind;
  tag?: string;
  sort?: PostSort;
  period?: TopPeriod;
  cursor?: ListCursor | null;
  excludePinned?: boolean;
  /** Also answer the pinned posts, in the same statement (the first page of the default view). */
  withPinned?: boolean;
  limit?: number;
}) {
  if (cursor && isHelpfulCursor(cursor) !== (sort === "top")) {
    throw new Error(
      `A ${isHelpfulCursor(cursor) ? "top" : "timestamp"} cursor cannot page the "${sort}" list.`,
    );
  }
  const timeColumn = sort === "active" ? posts.lastActivityAt : posts.createdAt;
  let keyset: SQL | undefined;
  if (cursor && isHelpfulCursor(cursor)) {
    keyset = sql`(${posts.helpfulCount}, ${posts.id}) < (${cursor.helpful}, ${cursor.id})`;
  } else if (cursor) {
    keyset = sql`(${timeColumn}, ${posts.id}) < (${cursor.at}::timestamptz, ${cursor.id})`;
  }

  const listed = getDb()
    .select({ ...listColumns, isPinnedRow: sql<boolean>`false` })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .leftJoin(storyDetails, eq(storyDetails.postId, posts.id))
    .where(
      and(
        eq(posts.status, "published"),
        kind ? eq(posts.kind, kind) : undefined,
        tag === undefined ? undefined : hasTag(tag),
        sort === "unanswered"
          ? and(
              eq(posts.kind, "question"),
              isNull(posts.acceptedCommentId),
              eq(posts.commentCount, 0),
              // The asker's summary of answers (gathered off the forum, perhaps) marks it answered too.
              sql`not exists (select 1 from answer_summaries s where s.post_id = ${posts.id})`,
            )
          : undefined,
        sort === "top" && period !== "all"
          ? sql`${posts.createdAt} >= now() - ${periodIntervals[period]}::interval`
          : undefined,
        excludePinned ? eq(posts.pinned, false) : undefined,
        keyset,
      ),
    )
    .orderBy(...(sort === "top" ? [desc(posts.helpfulCount)] : [desc(timeColumn)]), desc(posts.id))
    .limit(limit + 1);
  const allRows = await (withPinned ? pinnedPostsQuery(MAX_PINNED_POSTS).unionAll(listed) : listed);
  const pinned = allRows.filter((row) => row.isPinnedRow).map(withoutRowMarker);
  const rows = allRows.filter((row) => !row.isPinnedRow).map(withoutRowMarker);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  let nextCursor: ListCursor | null = null;
  if (rows.length > limit && last) {
    nextCursor =
      sort === "top"
        ? { helpful: last.helpfulCount, id: last.id }
        : { at: sort === "active" ? last.activityKey : last.createdKey, id: last.id };
  }
  return { posts: page, nextCursor, pinned };
}

function withoutRowMarker<Row extends { isPinnedRow: boolean }>({ isPinnedRow: _marker, ...row }: Row) {
  return row;
}

/** Tags on at least one published post, most used first, then by name. */
export async function listTags() {
  return getDb()
    .select({ name: tags.name, description: tags.description, postCount: tags.postCount })
    .from(tags)
    .where(gt(tags.postCount, 0))
    .orderBy(desc(tags.postCount), asc(tags.name));
}

/** A tag by its name, or undefined. */
export async function getTag(name: string) {
  const [tag] = await getDb()
    .select({ name: tags.name, description: tags.description, postCount: tags.postCount })
    .from(tags)
    .where(eq(tags.name, name))
    .limit(1);
  return tag;
}

/**
 * Published pinned posts, newest activity first. Pinning stops at
 * MAX_PINNED_POSTS (moderatePost), so this is all of them.
 */
function pinnedPostsQuery(limit: number) {
  return getDb()
    .select({ ...listColumns, isPinnedRow: sql<boolean>`true` })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .leftJoin(storyDetails, eq(storyDetails.postId, posts.id))
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
  const [post] =
    viewer === null
      ? await visiblePostQueries.visitor(getDb(), { postId })
      : viewer.isModerator
        ? await visiblePostQueries.moderator(getDb(), { postId })
        : await visiblePostQueries.member(getDb(), { postId, viewerId: viewer.id });
  return post;
}

function visiblePostQuery(visible: SQL | undefined, name: string) {
  return builtOnce((db) =>
    db
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
      .where(and(eq(posts.id, sql.placeholder("postId")), visible))
      .limit(1)
      .prepare(name),
  );
}

// What each reader may see: visitors the published posts, moderators the held
// and hidden ones too, a member also their own held posts.
const visiblePostQueries = {
  visitor: visiblePostQuery(eq(posts.status, "published"), "visible_post_visitor"),
  moderator: visiblePostQuery(
    inArray(posts.status, ["published", "pending", "hidden"]),
    "visible_post_moderator",
  ),
  member: visiblePostQuery(
    or(
      eq(posts.status, "published"),
      and(eq(posts.status, "pending"), eq(posts.authorId, sql.placeholder("viewerId"))),
    ),
    "visible_post_member",
  ),
};

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
