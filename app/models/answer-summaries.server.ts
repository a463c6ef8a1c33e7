import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import {
  answerSummaries,
  answerSummaryCredits,
  answerSummaryRevisions,
  comments,
  moderationActions,
  notifications,
  posts,
  users,
  type UserRole,
} from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { canAcceptAnswer } from "~/lib/permissions";
import { plainExcerpt } from "~/lib/text";
import { commentIsPublic } from "./comments.server";

// The asker's summary of the answers a question drew, after LM_NET's "HIT"
// (here is what I learned) posts: one per question, shown under it, crediting
// the replies it draws on. Whoever may accept an answer may write it.

/** More than this many credits would be a notification storm, not a summary. */
export const MAX_SUMMARY_CREDITS = 50;

export type SaveAnswerSummaryResult =
  | { ok: true; created: boolean }
  | { ok: false; reason: "post-not-found" | "not-question" | "forbidden" | "comment-not-found" };

/**
 * Writes or rewrites the summary of a question's answers and replaces its
 * credits with `creditedCommentIds`, in one transaction under the post's row
 * lock. Only the asker or a moderator may, on a published question; every
 * credited comment must be an approved, undeleted comment of that question.
 *
 * An edit keeps the previous text as a revision. Each newly credited
 * comment's author is notified once per comment, ever (taking a credit back
 * and giving it again tells nobody twice), and never the writer themselves.
 * A moderator writing on someone else's question is logged as an "edit".
 */
export async function saveAnswerSummary({
  postId,
  actor,
  bodyMd,
  creditedCommentIds,
}: {
  postId: number;
  actor: { id: number; role: UserRole };
  bodyMd: string;
  creditedCommentIds: number[];
}): Promise<SaveAnswerSummaryResult> {
  const creditIds = [...new Set(creditedCommentIds)];
  return getDb().transaction(async (tx) => {
    const [post] = await tx
      .select({ authorId: posts.authorId, kind: posts.kind, title: posts.title })
      .from(posts)
      .where(and(eq(posts.id, postId), eq(posts.status, "published")))
      .for("no key update");
    if (!post) return { ok: false, reason: "post-not-found" };
    if (post.kind !== "question") return { ok: false, reason: "not-question" };
    // The same people who may accept an answer: the asker and moderators.
    if (!canAcceptAnswer(actor, post)) return { ok: false, reason: "forbidden" };

    const credited =
      creditIds.length === 0
        ? []
        : await tx
            .select({ id: comments.id, authorId: comments.authorId })
            .from(comments)
            .where(and(inArray(comments.id, creditIds), eq(comments.postId, postId), commentIsPublic));
    if (credited.length !== creditIds.length) return { ok: false, reason: "comment-not-found" };

    const [existing] = await tx
      .select({ bodyMd: answerSummaries.bodyMd })
      .from(answerSummaries)
      .where(eq(answerSummaries.postId, postId));
    const now = new Date();
    const bodyHtml = renderMarkdown(bodyMd);
    if (!existing) {
      await tx.insert(answerSummaries).values({ postId, authorId: actor.id, bodyMd, bodyHtml });
    } else if (existing.bodyMd !== bodyMd) {
      await tx.insert(answerSummaryRevisions).values({ postId, editorId: actor.id, bodyMd: existing.bodyMd });
      // The writer stays whoever first wrote it; the revision names who changed it.
      await tx
        .update(answerSummaries)
        .set({ bodyMd, bodyHtml, editedAt: now, updatedAt: now })
        .where(eq(answerSummaries.postId, postId));
    }

    const previous = await tx
      .delete(answerSummaryCredits)
      .where(eq(answerSummaryCredits.postId, postId))
      .returning({ commentId: answerSummaryCredits.commentId });
    if (credited.length > 0) {
      await tx
        .insert(answerSummaryCredits)
        .values(credited.map((comment) => ({ postId, commentId: comment.id })));
    }

    const previousIds = new Set(previous.map((row) => row.commentId));
    const newlyCredited = credited.filter(
      (comment) => !previousIds.has(comment.id) && comment.authorId !== actor.id,
    );
    if (newlyCredited.length > 0) {
      const alreadyTold = await tx
        .select({ commentId: notifications.commentId })
        .from(notifications)
        .where(
          and(
            eq(notifications.kind, "summary_credit"),
            inArray(
              notifications.commentId,
              newlyCredited.map((comment) => comment.id),
            ),
          ),
        );
      const told = new Set(alreadyTold.map((row) => row.commentId));
      const toTell = newlyCredited.filter((comment) => !told.has(comment.id));
      if (toTell.length > 0) {
        await tx.insert(notifications).values(
          toTell.map((comment) => ({
            userId: comment.authorId,
            kind: "summary_credit" as const,
            actorId: actor.id,
            postId,
            commentId: comment.id,
            message: `Your reply to “${post.title}” was credited in its summary of answers.`,
          })),
        );
      }
    }

    if (actor.id !== post.authorId) {
      await tx.insert(moderationActions).values({
        actorId: actor.id,
        action: "edit",
        postId,
        targetUserId: post.authorId,
        details: {
          answerSummary: existing ? "edited" : "written",
          credits: { from: [...previousIds].sort((a, b) => a - b), to: [...creditIds].sort((a, b) => a - b) },
        },
      });
    }
    return { ok: true, created: !existing };
  });
}

/** The summary's markdown and credited comment ids, for its form; undefined without a summary. */
export async function getAnswerSummaryForEditing(postId: number) {
  const [summary] = await getDb()
    .select({
      bodyMd: answerSummaries.bodyMd,
      creditedCommentIds: sql<number[]>`array(
        select ${answerSummaryCredits.commentId} from ${answerSummaryCredits}
        where ${answerSummaryCredits.postId} = ${postId}
        order by ${answerSummaryCredits.commentId})`,
    })
    .from(answerSummaries)
    .where(eq(answerSummaries.postId, postId));
  return summary;
}

/** The replies a summary may credit: the question's approved, undeleted comments, oldest first, with a short excerpt. */
export async function listCreditableComments(postId: number) {
  const rows = await getDb()
    .select({
      id: comments.id,
      bodyMd: comments.bodyMd,
      authorDisplayName: users.displayName,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.postId, postId), commentIsPublic))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  return rows.map((row) => ({
    id: row.id,
    authorDisplayName: row.authorDisplayName,
    excerpt: plainExcerpt(row.bodyMd, 120),
  }));
}

/** A summary's earlier versions, newest first, with who replaced each (the shape RevisionList shows). */
export async function listAnswerSummaryRevisions(postId: number) {
  return getDb()
    .select({
      id: answerSummaryRevisions.id,
      title: sql<string | null>`null`,
      bodyMd: answerSummaryRevisions.bodyMd,
      createdAt: answerSummaryRevisions.createdAt,
      editorDisplayName: sql<string | null>`${users.displayName}`,
      editorUsername: sql<string | null>`${users.username}`,
    })
    .from(answerSummaryRevisions)
    .leftJoin(users, eq(users.id, answerSummaryRevisions.editorId))
    .where(eq(answerSummaryRevisions.postId, postId))
    .orderBy(desc(answerSummaryRevisions.createdAt), desc(answerSummaryRevisions.id));
}
