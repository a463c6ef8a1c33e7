import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { comments, moderationActions, notifications, postTags, posts, tags, users } from "~/db/schema";
import { executeRows, getDb, type Transaction } from "~/lib/db.server";
import type { Cursor } from "~/lib/cursor";
import { notifyCommentPublished, notifyPostPublished } from "./notifications.server";
import { deleteUserSessions } from "./sessions.server";

/** Members with this many items marked spam are suspended automatically (SPEC). */
export const SPAM_SUSPENSION_THRESHOLD = 2;

export type Decision = "approve" | "reject" | "spam";
export type QueueItemRef = { kind: "post" | "comment"; id: number };

const authorColumns = {
  authorId: users.id,
  authorUsername: users.username,
  authorDisplayName: users.displayName,
  authorLibraryType: users.libraryType,
  authorApprovedCount: users.approvedCount,
  authorRejectedCount: users.rejectedCount,
  authorSince: users.createdAt,
};

/**
 * Everything waiting for a moderator, oldest first: held posts and held
 * comments (with their thread and the comment they answer), read through the
 * partial indexes on pending rows.
 */
export async function listPendingItems(limit = 100) {
  const db = getDb();
  const heldPosts = await db
    .select({
      id: posts.id,
      createdAt: posts.createdAt,
      title: posts.title,
      kind: posts.kind,
      bodyHtml: posts.bodyHtml,
      heldReason: posts.heldReason,
      postId: posts.id,
      postSlug: posts.slug,
      ...authorColumns,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(eq(posts.status, "pending"))
    .orderBy(asc(posts.createdAt), asc(posts.id))
    .limit(limit);
  const parents = alias(comments, "parent");
  const parentAuthors = alias(users, "parent_author");
  const heldComments = await db
    .select({
      id: comments.id,
      createdAt: comments.createdAt,
      bodyHtml: comments.bodyHtml,
      heldReason: comments.heldReason,
      postId: posts.id,
      postTitle: posts.title,
      postSlug: posts.slug,
      parentId: comments.parentId,
      parentBodyHtml: parents.bodyHtml,
      parentAuthorDisplayName: parentAuthors.displayName,
      ...authorColumns,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .innerJoin(posts, eq(posts.id, comments.postId))
    .leftJoin(parents, eq(parents.id, comments.parentId))
    .leftJoin(parentAuthors, eq(parentAuthors.id, parents.authorId))
    // A held reply on a thread that was since removed has nothing left to join.
    .where(and(eq(comments.status, "pending"), sql`${posts.status} <> 'removed'`))
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(limit);
  return [
    ...heldPosts.map((item) => ({ ...item, kind: "post" as const, postKind: item.kind })),
    ...heldComments.map((item) => ({ ...item, kind: "comment" as const })),
  ]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)
    .slice(0, limit);
}

export type PendingItem = Awaited<ReturnType<typeof listPendingItems>>[number];

/** How many items wait for a moderator (for the header). */
export async function countPendingItems(): Promise<number> {
  const [row] = await executeRows<{ count: number }>(sql`select ${pendingItemsCount()} as count`);
  return row?.count ?? 0;
}

/** The queue's length as an SQL expression, so a moderator's page can ask for it inside another statement. */
export function pendingItemsCount() {
  // Each held comment's post is looked up by key: a join here let the planner read every post
  // to count a few held comments, on every page a moderator opens.
  return sql<number>`((select count(*) from ${posts} where ${posts.status} = 'pending')
    + (select count(*) from ${comments} held_comment
       where held_comment.status = 'pending'
         and (select held_post.status from ${posts} held_post where held_post.id = held_comment.post_id) <> 'removed'))::int`;
}

export type DecisionResult = { ok: true } | { ok: false; reason: "already-handled" };

const decisionStatus = {
  // A rejected post is "removed", not "hidden": hidden is a moderator's reversible hide, and Restore must not publish a rejection.
  post: { approve: "published", reject: "removed", spam: "removed" },
  comment: { approve: "approved", reject: "rejected", spam: "spam" },
} as const;

const notificationText: Record<Decision, (what: string, reason: string) => string> = {
  approve: (what) => `Your ${what} was approved and is now public.`,
  reject: (what, reason) => `Your ${what} was not approved${reason ? `: ${reason}` : "."}`,
  spam: (what) => `Your ${what} was removed as spam.`,
};

/**
 * Approves, rejects or marks as spam one held item. Everything the decision
 * moves happens in one transaction: the item's status (only if it is still
 * pending, so of two moderators acting at once exactly one wins), the
 * thread's and tags' counters, the author's record, the author's
 * notification, an automatic suspension at the second spam, and the log row.
 */
export async function decide(
  item: QueueItemRef,
  decision: Decision,
  moderatorId: number,
  reason = "",
): Promise<DecisionResult> {
  return getDb().transaction(async (tx) => {
    const target =
      item.kind === "post"
        ? await decidePost(tx, item.id, decision)
        : await decideComment(tx, item.id, decision);
    if (!target) return { ok: false, reason: "already-handled" };

    const counter =
      decision === "approve"
        ? { approvedCount: sql`${users.approvedCount} + 1` }
        : decision === "reject"
          ? { rejectedCount: sql`${users.rejectedCount} + 1` }
          : { spamCount: sql`${users.spamCount} + 1` };
    const [author] = await tx
      .update(users)
      .set(counter)
      .where(eq(users.id, target.authorId))
      .returning({ spamCount: users.spamCount, role: users.role, status: users.status });

    const refs = item.kind === "post" ? { postId: item.id } : { postId: target.postId, commentId: item.id };
    await tx.insert(moderationActions).values({
      actorId: moderatorId,
      action: decision,
      targetUserId: target.authorId,
      reason,
      ...refs,
    });
    await tx.insert(notifications).values({
      userId: target.authorId,
      kind: decision === "approve" ? "approved" : decision === "reject" ? "rejected" : "moderation",
      actorId: moderatorId,
      message: notificationText[decision](item.kind, reason),
      ...refs,
    });
    // What was held told nobody; now that it is public, the replies, mentions
    // and watchers' notices that were waiting are written.
    if (decision === "approve") {
      if (item.kind === "post") await notifyPostPublished(tx, item.id);
      else await notifyCommentPublished(tx, item.id);
    }

    if (
      decision === "spam" &&
      author &&
      author.role === "member" &&
      author.status === "active" &&
      author.spamCount >= SPAM_SUSPENSION_THRESHOLD
    ) {
      await suspendForSpam(tx, target.authorId);
    }
    return { ok: true };
  });
}

async function decidePost(tx: Transaction, postId: number, decision: Decision) {
  const [post] = await tx
    .update(posts)
    .set({ status: decisionStatus.post[decision], updatedAt: sql`now()`, lastActivityAt: sql`now()` })
    .where(and(eq(posts.id, postId), eq(posts.status, "pending")))
    .returning({ authorId: posts.authorId });
  if (!post) return undefined;
  if (decision === "approve") {
    const tagIds = await tx
      .select({ tagId: postTags.tagId })
      .from(postTags)
      .where(eq(postTags.postId, postId));
    if (tagIds.length > 0) {
      await tx
        .update(tags)
        .set({ postCount: sql`${tags.postCount} + 1` })
        .where(
          inArray(
            tags.id,
            tagIds.map((row) => row.tagId),
          ),
        );
    }
  }
  return { authorId: post.authorId, postId };
}

async function decideComment(tx: Transaction, commentId: number, decision: Decision) {
  const [comment] = await tx
    .update(comments)
    .set({ status: decisionStatus.comment[decision], updatedAt: sql`now()` })
    .where(and(eq(comments.id, commentId), eq(comments.status, "pending")))
    .returning({ authorId: comments.authorId, postId: comments.postId });
  if (!comment) return undefined;
  if (decision === "approve") {
    await tx
      .update(posts)
      .set({ commentCount: sql`${posts.commentCount} + 1`, lastActivityAt: sql`now()` })
      .where(eq(posts.id, comment.postId));
  }
  return comment;
}

async function suspendForSpam(tx: Transaction, userId: number) {
  await tx
    .update(users)
    .set({
      status: "suspended",
      statusReason: `Suspended automatically: ${SPAM_SUSPENSION_THRESHOLD} items marked as spam.`,
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, userId));
  await deleteUserSessions(userId, {}, tx);
  await tx.insert(moderationActions).values({
    actorId: null,
    action: "suspend",
    targetUserId: userId,
    reason: `${SPAM_SUSPENSION_THRESHOLD} items marked as spam`,
  });
}

const actors = alias(users, "actor");
const targetUsers = alias(users, "target_user");

export type LogFilters = { moderator?: string; member?: string; action?: string };

/** The moderation log, newest first, a page at a time by keyset. */
export async function listModerationActions(filters: LogFilters, cursor: Cursor | null, limit = 50) {
  const rows = await getDb()
    .select({
      id: moderationActions.id,
      action: moderationActions.action,
      reason: moderationActions.reason,
      createdAt: moderationActions.createdAt,
      createdKey: sql<string>`to_char(${moderationActions.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      postId: moderationActions.postId,
      commentId: moderationActions.commentId,
      postTitle: posts.title,
      postSlug: posts.slug,
      actorUsername: actors.username,
      actorDisplayName: actors.displayName,
      targetUsername: targetUsers.username,
      targetDisplayName: targetUsers.displayName,
    })
    .from(moderationActions)
    .leftJoin(actors, eq(actors.id, moderationActions.actorId))
    .leftJoin(targetUsers, eq(targetUsers.id, moderationActions.targetUserId))
    .leftJoin(posts, eq(posts.id, moderationActions.postId))
    .where(
      and(
        filters.moderator ? eq(actors.username, filters.moderator) : undefined,
        filters.member ? eq(targetUsers.username, filters.member) : undefined,
        filters.action ? sql`${moderationActions.action}::text = ${filters.action}` : undefined,
        cursor
          ? sql`(${moderationActions.createdAt}, ${moderationActions.id}) < (${cursor.at}::timestamptz, ${cursor.id})`
          : undefined,
      ),
    )
    .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    actions: page,
    nextCursor: rows.length > limit && last ? { at: last.createdKey, id: last.id } : null,
  };
}
