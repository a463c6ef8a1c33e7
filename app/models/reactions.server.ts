import { and, eq, sql } from "drizzle-orm";
import { comments, moderationActions, notifications, posts, votes, type UserRole } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { canAcceptAnswer } from "~/lib/permissions";
import { notifyHelpful } from "./notifications.server";
import { commentIsPublic } from "./comments.server";

// "Helpful" marks and accepted answers. Each write changes its row and the
// counter or pointer it affects in one transaction; there are no downvotes.

export type HelpfulTarget = { kind: "post" | "comment"; id: number };

export type ToggleHelpfulResult =
  { ok: true; helpful: boolean; count: number } | { ok: false; reason: "not-found" | "own" };

/**
 * Marks `target` Helpful for `userId`, or takes the mark back. Without `on`
 * it toggles; with `on` it sets that state, so the same form sent twice
 * (a double click, a retried request) counts once. Only published posts and
 * approved, undeleted comments of published posts can be marked, never one's
 * own. With `postId`, a comment must belong to that post.
 *
 * The target's row is locked first, so marks on one item count one after
 * the other and helpful_count always equals its votes.
 */
export async function toggleHelpful({
  userId,
  target,
  on,
  postId,
}: {
  userId: number;
  target: HelpfulTarget;
  on?: boolean;
  postId?: number;
}): Promise<ToggleHelpfulResult> {
  return getDb().transaction(async (tx) => {
    let found: { authorId: number; postId: number; postTitle: string } | undefined;
    if (target.kind === "post") {
      const [row] = await tx
        .select({ authorId: posts.authorId, postId: posts.id, postTitle: posts.title })
        .from(posts)
        .where(
          and(
            eq(posts.id, target.id),
            eq(posts.status, "published"),
            postId === undefined ? undefined : eq(posts.id, postId),
          ),
        )
        .for("no key update");
      found = row;
    } else {
      const [row] = await tx
        .select({ authorId: comments.authorId, postId: posts.id, postTitle: posts.title })
        .from(comments)
        .innerJoin(posts, eq(posts.id, comments.postId))
        .where(
          and(
            eq(comments.id, target.id),
            commentIsPublic,
            eq(posts.status, "published"),
            postId === undefined ? undefined : eq(comments.postId, postId),
          ),
        )
        .for("no key update", { of: comments });
      found = row;
    }
    if (found === undefined) return { ok: false, reason: "not-found" };
    if (found.authorId === userId) return { ok: false, reason: "own" };

    const voteTarget =
      target.kind === "post"
        ? and(eq(votes.userId, userId), eq(votes.postId, target.id))
        : and(eq(votes.userId, userId), eq(votes.commentId, target.id));

    let change: 1 | -1 | 0 = 0;
    let helpful: boolean;
    if (on === false || on === undefined) {
      const removed = await tx.delete(votes).where(voteTarget).returning({ id: votes.id });
      if (removed.length > 0) change = -1;
    }
    if (on === true || (on === undefined && change === 0)) {
      const inserted = await tx
        .insert(votes)
        .values(target.kind === "post" ? { userId, postId: target.id } : { userId, commentId: target.id })
        .onConflictDoNothing()
        .returning({ id: votes.id });
      if (inserted.length > 0) {
        change = 1;
        await notifyHelpful(tx, {
          recipientId: found.authorId,
          actorId: userId,
          postId: found.postId,
          commentId: target.kind === "comment" ? target.id : null,
          postTitle: found.postTitle,
        });
      }
      helpful = true;
    } else {
      helpful = false;
    }

    const table = target.kind === "post" ? posts : comments;
    const countColumn = target.kind === "post" ? posts.helpfulCount : comments.helpfulCount;
    const idColumn = target.kind === "post" ? posts.id : comments.id;
    if (change === 0) {
      const [row] = await tx.select({ count: countColumn }).from(table).where(eq(idColumn, target.id));
      return { ok: true, helpful, count: row?.count ?? 0 };
    }
    const [row] = await tx
      .update(table)
      .set({
        helpfulCount: change === 1 ? sql`${countColumn} + 1` : sql`greatest(${countColumn} - 1, 0)`,
      })
      .where(eq(idColumn, target.id))
      .returning({ count: countColumn });
    return { ok: true, helpful, count: row?.count ?? 0 };
  });
}

export type SetAcceptedAnswerResult =
  | { ok: true; changed: boolean }
  | { ok: false; reason: "post-not-found" | "not-question" | "forbidden" | "comment-not-found" };

/**
 * Sets (or, with `commentId` null, clears) the accepted answer of a question.
 * Only its asker or a moderator may; the comment must be an approved,
 * undeleted comment of that question. The comment's author is told when
 * their comment is accepted (not on clearing, not when they accepted it
 * themselves). A moderator choosing for someone else's question is logged
 * as an "edit" of the post, with the change in the details.
 */
export async function setAcceptedAnswer({
  postId,
  commentId,
  actor,
}: {
  postId: number;
  commentId: number | null;
  actor: { id: number; role: UserRole };
}): Promise<SetAcceptedAnswerResult> {
  return getDb().transaction(async (tx) => {
    const [post] = await tx
      .select({
        authorId: posts.authorId,
        kind: posts.kind,
        title: posts.title,
        acceptedCommentId: posts.acceptedCommentId,
      })
      .from(posts)
      .where(and(eq(posts.id, postId), eq(posts.status, "published")))
      .for("no key update");
    if (!post) return { ok: false, reason: "post-not-found" };
    if (post.kind !== "question") return { ok: false, reason: "not-question" };
    if (!canAcceptAnswer(actor, post)) return { ok: false, reason: "forbidden" };

    let answerAuthorId: number | null = null;
    if (commentId !== null) {
      const [comment] = await tx
        .select({ authorId: comments.authorId })
        .from(comments)
        .where(and(eq(comments.id, commentId), eq(comments.postId, postId), commentIsPublic));
      if (!comment) return { ok: false, reason: "comment-not-found" };
      answerAuthorId = comment.authorId;
    }
    if (post.acceptedCommentId === commentId) return { ok: true, changed: false };

    await tx.update(posts).set({ acceptedCommentId: commentId }).where(eq(posts.id, postId));
    if (actor.id !== post.authorId) {
      await tx.insert(moderationActions).values({
        actorId: actor.id,
        action: "edit",
        postId,
        commentId,
        targetUserId: post.authorId,
        details: { acceptedCommentId: { from: post.acceptedCommentId, to: commentId } },
      });
    }
    if (commentId !== null && answerAuthorId !== null && answerAuthorId !== actor.id) {
      await tx.insert(notifications).values({
        userId: answerAuthorId,
        kind: "accepted_answer",
        actorId: actor.id,
        postId,
        commentId,
        message: `Your answer to "${post.title}" was accepted.`,
      });
    }
    return { ok: true, changed: true };
  });
}
