import { and, desc, eq, gte, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { comments, notifications, posts, subscriptions, users, votes } from "~/db/schema";
import type { Cursor } from "~/lib/cursor";
import { builtOnce } from "~/lib/built-once.server";
import { getDb, type Transaction } from "~/lib/db.server";
import type { NotificationKind } from "~/lib/email-topics";
import { mentionedUsernames } from "~/lib/markdown.server";
import { commentIsPublic } from "./comments.server";
import { commentPath, threadPath } from "~/lib/thread-links";

// Notifications are rows written in the same transaction as what caused them,
// and only when that thing becomes public: a comment held for moderation
// notifies nobody until it is approved, and its approval (in the moderator's
// transaction) writes the notifications that were waiting. E-mail is made
// from these rows later (notification-mail.server.ts), so nothing a member is
// told about can be lost between the write and the mail.

/** Discourse's default too: a body naming more people than this is more likely spam than a conversation. */
export const MAX_MENTIONS_NOTIFIED = 10;

type NotificationRow = typeof notifications.$inferInsert;

const quoted = (title: string) => `“${title}”`;

const activeMembersNamedQuery = builtOnce((db) =>
  db
    .select({ id: users.id })
    .from(users)
    .where(
      and(sql`${users.username} = any(${sql.placeholder("usernames")}::text[])`, eq(users.status, "active")),
    )
    .prepare("active_members_named"),
);

async function activeMembersNamed(tx: Transaction, usernames: string[]) {
  if (usernames.length === 0) return [];
  return activeMembersNamedQuery(tx, { usernames: usernames.slice(0, MAX_MENTIONS_NOTIFIED) });
}

// Each watcher's standing is looked up by key: a join with users let the
// generic plan of a prepared statement scan every member (decision 032).
const watcherNotBanned = sql`(select u.status from users u where u.id = "subscriptions"."user_id") <> 'banned'`;

/** What notifying a published comment reads, built once (decision 032). */
const publishedCommentQueries = (() => {
  const commentId = sql.placeholder("commentId");
  return {
    comment: builtOnce((db) =>
      db
        .select({
          id: comments.id,
          postId: comments.postId,
          parentId: comments.parentId,
          authorId: comments.authorId,
          bodyMd: comments.bodyMd,
          authorName: users.displayName,
          postTitle: posts.title,
          postAuthorId: posts.authorId,
        })
        .from(comments)
        .innerJoin(posts, eq(posts.id, comments.postId))
        .innerJoin(users, eq(users.id, comments.authorId))
        .where(and(eq(comments.id, commentId), commentIsPublic, eq(posts.status, "published")))
        .prepare("published_comment"),
    ),
    parent: builtOnce((db) =>
      db
        .select({ authorId: comments.authorId, deletedAt: comments.deletedAt })
        .from(comments)
        .where(
          inArray(
            comments.id,
            db.select({ id: comments.parentId }).from(comments).where(eq(comments.id, commentId)),
          ),
        )
        .prepare("published_comment_parent"),
    ),
    watchers: builtOnce((db) =>
      db
        .select({ userId: subscriptions.userId })
        .from(subscriptions)
        .where(
          and(
            inArray(
              subscriptions.postId,
              db.select({ id: comments.postId }).from(comments).where(eq(comments.id, commentId)),
            ),
            eq(subscriptions.watching, true),
            watcherNotBanned,
          ),
        )
        .prepare("published_comment_watchers"),
    ),
  };
})();

/**
 * Writes the notifications for a comment that has just become public: a
 * direct reply notifies the author of the comment (or post) it answers,
 * each `@username` notifies that member, and everyone watching the thread
 * hears of it; each person gets one notification, the most specific one,
 * and never for their own comment.
 */
export async function notifyCommentPublished(tx: Transaction, commentId: number) {
  // The comment, the comment it answers and the thread's watchers, asked in one round trip.
  const [[comment], [parent], watchers] = await Promise.all([
    publishedCommentQueries.comment(tx, { commentId }),
    publishedCommentQueries.parent(tx, { commentId }),
    publishedCommentQueries.watchers(tx, { commentId }),
  ]);
  if (!comment) return;
  await writeCommentNotifications(tx, comment, {
    parentAuthorId: parent && !parent.deletedAt ? parent.authorId : null,
    watcherIds: watchers.map((watcher) => watcher.userId),
    mentionedIds: (await activeMembersNamed(tx, mentionedUsernames(comment.bodyMd))).map(
      (member) => member.id,
    ),
  });
}

/** A comment that has just become public, as its notifications tell of it. */
export type PublishedComment = {
  id: number;
  postId: number;
  parentId: number | null;
  authorId: number;
  authorName: string;
  postTitle: string;
  postAuthorId: number;
};

/** Who hears of a new comment besides the author of what it answers. */
export type CommentAudience = { watcherIds: number[]; mentionedIds: number[] };

const threadWatchersQuery = builtOnce((db) =>
  db
    .select({ userId: subscriptions.userId })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.postId, sql.placeholder("postId")),
        eq(subscriptions.watching, true),
        watcherNotBanned,
      ),
    )
    .prepare("thread_watchers"),
);

/**
 * The watchers of a thread and the members a comment's text mentions, for a
 * comment about to be written: read with the thread's lock, so that its
 * insert can write their notifications too (createComment).
 */
export async function commentAudience(
  tx: Transaction,
  comment: { postId: number; bodyMd: string },
): Promise<CommentAudience> {
  const [watchers, mentioned] = await Promise.all([
    threadWatchersQuery(tx, { postId: comment.postId }),
    activeMembersNamed(tx, mentionedUsernames(comment.bodyMd)),
  ]);
  return {
    watcherIds: watchers.map((watcher) => watcher.userId),
    mentionedIds: mentioned.map((member) => member.id),
  };
}

/** Whom a published comment notifies, and what each is told. */
export type CommentRecipient = { userId: number; kind: NotificationKind; message: string };

/**
 * One notification for each person a published comment concerns, the most
 * specific one: the author of what it answers, then those it mentions, then
 * the thread's watchers; never its own author.
 */
export function commentRecipients(
  comment: Omit<PublishedComment, "id">,
  audience: CommentAudience & { parentAuthorId: number | null },
): CommentRecipient[] {
  const recipients = new Map<number, { kind: NotificationKind; message: string }>();
  const add = (userId: number, kind: NotificationKind, message: string) => {
    if (userId !== comment.authorId && !recipients.has(userId)) recipients.set(userId, { kind, message });
  };

  if (comment.parentId !== null) {
    if (audience.parentAuthorId !== null) {
      add(
        audience.parentAuthorId,
        "reply",
        `${comment.authorName} replied to your comment in ${quoted(comment.postTitle)}.`,
      );
    }
  } else {
    add(
      comment.postAuthorId,
      "reply",
      `${comment.authorName} replied to your post ${quoted(comment.postTitle)}.`,
    );
  }
  for (const memberId of audience.mentionedIds) {
    add(memberId, "mention", `${comment.authorName} mentioned you in ${quoted(comment.postTitle)}.`);
  }
  for (const watcherId of audience.watcherIds) {
    add(
      watcherId,
      "watched_reply",
      `${comment.authorName} replied in ${quoted(comment.postTitle)}, which you watch.`,
    );
  }

  return [...recipients].map(([userId, { kind, message }]) => ({ userId, kind, message }));
}

/** Writes the notifications of a comment that has become public (commentRecipients). */
export async function writeCommentNotifications(
  tx: Transaction,
  comment: PublishedComment,
  audience: CommentAudience & { parentAuthorId: number | null },
) {
  await insertNotifications(
    tx,
    commentRecipients(comment, audience).map((recipient) => ({
      ...recipient,
      actorId: comment.authorId,
      postId: comment.postId,
      commentId: comment.id,
    })),
  );
}

/** Writes the mention notifications of a post that has just become public. */
export async function notifyPostPublished(tx: Transaction, postId: number) {
  const [post] = await tx
    .select({
      authorId: posts.authorId,
      title: posts.title,
      bodyMd: posts.bodyMd,
      authorName: users.displayName,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.id, postId), eq(posts.status, "published")));
  if (!post) return;
  const mentioned = await activeMembersNamed(tx, mentionedUsernames(`${post.bodyMd}`));
  await insertNotifications(
    tx,
    mentioned
      .filter((member) => member.id !== post.authorId)
      .map((member) => ({
        userId: member.id,
        kind: "mention" as const,
        message: `${post.authorName} mentioned you in ${quoted(post.title)}.`,
        actorId: post.authorId,
        postId,
      })),
  );
}

/**
 * An edit that names someone new notifies them, as a mention in a new
 * comment would; only while the item is public, never twice for one item,
 * and never the author. Names already in the text before the edit are left
 * alone, so fixing a typo does not notify anyone again.
 */
export async function notifyMentionsAddedByEdit(
  tx: Transaction,
  edit: { postId: number; commentId: number | null; before: string; after: string },
) {
  const earlier = new Set(mentionedUsernames(edit.before));
  const added = mentionedUsernames(edit.after).filter((name) => !earlier.has(name));
  if (added.length === 0) return;
  const [item] =
    edit.commentId === null
      ? await tx
          .select({ authorId: posts.authorId, title: posts.title, authorName: users.displayName })
          .from(posts)
          .innerJoin(users, eq(users.id, posts.authorId))
          .where(and(eq(posts.id, edit.postId), eq(posts.status, "published")))
      : await tx
          .select({ authorId: comments.authorId, title: posts.title, authorName: users.displayName })
          .from(comments)
          .innerJoin(posts, eq(posts.id, comments.postId))
          .innerJoin(users, eq(users.id, comments.authorId))
          .where(and(eq(comments.id, edit.commentId), commentIsPublic, eq(posts.status, "published")));
  if (!item) return;
  const alreadyTold = new Set(
    (
      await tx
        .select({ userId: notifications.userId })
        .from(notifications)
        .where(
          and(
            eq(notifications.postId, edit.postId),
            edit.commentId === null
              ? isNull(notifications.commentId)
              : eq(notifications.commentId, edit.commentId),
            inArray(notifications.kind, ["mention", "reply", "watched_reply"]),
          ),
        )
    ).map((row) => row.userId),
  );
  const members = await activeMembersNamed(tx, added);
  await insertNotifications(
    tx,
    members
      .filter((member) => member.id !== item.authorId && !alreadyTold.has(member.id))
      .map((member) => ({
        userId: member.id,
        kind: "mention" as const,
        message: `${item.authorName} mentioned you in ${quoted(item.title)}.`,
        actorId: item.authorId,
        postId: edit.postId,
        commentId: edit.commentId,
      })),
  );
}

async function insertNotifications(tx: Transaction, rows: NotificationRow[]) {
  if (rows.length > 0) await tx.insert(notifications).values(rows);
}

/**
 * A Helpful mark on someone's post or comment. Marks are batched: while the
 * member has not yet read (or been e-mailed) the notice for that item, a new
 * mark adds to its count instead of adding a row.
 */
export async function notifyHelpful(
  tx: Transaction,
  mark: { recipientId: number; actorId: number; postId: number; commentId: number | null; postTitle: string },
) {
  const target = mark.commentId === null ? "post" : "comment";
  const [pending] = await tx
    .select({ id: notifications.id, createdAt: notifications.createdAt })
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, mark.recipientId),
        eq(notifications.kind, "helpful"),
        eq(notifications.postId, mark.postId),
        mark.commentId === null
          ? isNull(notifications.commentId)
          : eq(notifications.commentId, mark.commentId),
        isNull(notifications.readAt),
        isNull(notifications.emailedAt),
      ),
    )
    .for("no key update");
  if (pending) {
    // Counted from the marks themselves, so taking a mark back and giving it
    // again does not count one member twice.
    const [marks] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(votes)
      .where(
        and(
          mark.commentId === null ? eq(votes.postId, mark.postId) : eq(votes.commentId, mark.commentId),
          gte(votes.createdAt, pending.createdAt),
        ),
      );
    const count = Math.max(marks?.count ?? 1, 1);
    await tx
      .update(notifications)
      .set({
        count,
        actorId: mark.actorId,
        message:
          count === 1
            ? `A member marked your ${target} in ${quoted(mark.postTitle)} Helpful.`
            : `${count} members marked your ${target} in ${quoted(mark.postTitle)} Helpful.`,
      })
      .where(eq(notifications.id, pending.id));
    return;
  }
  const [actor] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, mark.actorId));
  await tx.insert(notifications).values({
    userId: mark.recipientId,
    kind: "helpful",
    actorId: mark.actorId,
    postId: mark.postId,
    commentId: mark.commentId,
    message: `${actor?.name ?? "A member"} marked your ${target} in ${quoted(mark.postTitle)} Helpful.`,
  });
}

// ---------------------------------------------------------------------------
// Reading them

export const NOTIFICATIONS_PAGE_SIZE = 30;

export type NotificationItem = {
  id: number;
  kind: NotificationKind;
  message: string;
  count: number;
  read: boolean;
  createdAt: Date;
  actor: { username: string; displayName: string } | null;
  /** Where the notification points: the thread, at the comment when there is one. */
  href: string | null;
};

/** A member's notifications, newest first, a page at a time by keyset. */
export async function listNotifications(
  userId: number,
  cursor: Cursor | null,
  limit = NOTIFICATIONS_PAGE_SIZE,
) {
  const rows = await getDb()
    .select({
      id: notifications.id,
      kind: notifications.kind,
      message: notifications.message,
      count: notifications.count,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
      createdKey: sql<string>`to_char(${notifications.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      postId: notifications.postId,
      postSlug: posts.slug,
      commentId: notifications.commentId,
      introductionId: notifications.introductionId,
      actorUsername: users.username,
      actorDisplayName: users.displayName,
    })
    .from(notifications)
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(users, eq(users.id, notifications.actorId))
    .where(
      and(
        eq(notifications.userId, userId),
        cursor
          ? sql`(${notifications.createdAt}, ${notifications.id}) < (${cursor.at}::timestamptz, ${cursor.id})`
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const items: NotificationItem[] = page.map((row) => ({
    id: row.id,
    kind: row.kind,
    message: row.message,
    count: row.count,
    read: row.readAt !== null,
    createdAt: row.createdAt,
    actor:
      row.actorUsername && row.actorDisplayName
        ? { username: row.actorUsername, displayName: row.actorDisplayName }
        : null,
    href: notificationHref(row.postId, row.postSlug, row.commentId, row.introductionId),
  }));
  return { items, nextCursor: rows.length > limit && last ? { at: last.createdKey, id: last.id } : null };
}

export function notificationHref(
  postId: number | null,
  slug: string | null,
  commentId: number | null,
  introductionId: number | null = null,
) {
  if (introductionId !== null) return `/introductions/${introductionId}`;
  if (postId === null) return null;
  const thread = { id: postId, slug };
  return commentId === null ? threadPath(thread) : commentPath(thread, commentId);
}

/** The header's count; served by the partial index on unread rows. */
export async function countUnreadNotifications(userId: number) {
  const [row] = await getDb()
    .select({ count: unreadNotificationsCount(sql`${userId}`) })
    .from(sql`(select 1) as one`);
  return row?.count ?? 0;
}

/** How many unread notifications the member `userId` has, as an SQL expression (the header asks it with the session). */
export function unreadNotificationsCount(userId: SQL) {
  return sql<number>`(select count(*)::int from ${notifications}
    where ${notifications.userId} = ${userId} and ${notifications.readAt} is null)`;
}

/** Marks the given notifications (only the member's own), or all of them, read. Answers how many changed. */
export async function markNotificationsRead(userId: number, ids: number[] | "all") {
  if (ids !== "all" && ids.length === 0) return 0;
  const changed = await getDb()
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids === "all" ? undefined : inArray(notifications.id, ids),
      ),
    )
    .returning({ id: notifications.id });
  return changed.length;
}

// ---------------------------------------------------------------------------
// Watching threads

/**
 * Starts or stops watching a published thread. "Stop watching" is kept as a
 * row with watching = false, so replying later does not quietly start it
 * again. Answers false when there is no such published thread.
 */
export async function setWatching(userId: number, postId: number, watching: boolean) {
  return getDb().transaction(async (tx) => {
    const [post] = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.id, postId), eq(posts.status, "published")));
    if (!post) return false;
    await tx
      .insert(subscriptions)
      .values({ userId, postId, watching })
      .onConflictDoUpdate({ target: [subscriptions.userId, subscriptions.postId], set: { watching } });
    return true;
  });
}
