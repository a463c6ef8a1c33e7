import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { comments, posts, revisions, users } from "~/db/schema";
import { getDb } from "~/lib/db.server";

/** A comment anyone may read: approved and not deleted (its thread's status is checked apart). */
export const commentIsPublic = and(eq(comments.status, "approved"), isNull(comments.deletedAt))!;

/** The earlier versions of a post or a comment, newest first, with who replaced each. */
export async function listRevisions(target: { postId: number } | { commentId: number }) {
  return getDb()
    .select({
      id: revisions.id,
      title: revisions.title,
      bodyMd: revisions.bodyMd,
      createdAt: revisions.createdAt,
      editorDisplayName: sql<string | null>`${users.displayName}`,
      editorUsername: sql<string | null>`${users.username}`,
    })
    .from(revisions)
    .leftJoin(users, eq(users.id, revisions.editorId))
    .where(
      "postId" in target ? eq(revisions.postId, target.postId) : eq(revisions.commentId, target.commentId),
    )
    .orderBy(desc(revisions.createdAt), desc(revisions.id));
}

/** A member's approved comments on published posts, newest first, with the thread they are in. */
export async function listApprovedCommentsByAuthor(authorId: number, limit = 20) {
  return getDb()
    .select({
      id: comments.id,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
      postId: posts.id,
      postTitle: posts.title,
      postSlug: posts.slug,
    })
    .from(comments)
    .innerJoin(posts, eq(posts.id, comments.postId))
    .where(
      and(eq(comments.authorId, authorId), eq(comments.status, "approved"), eq(posts.status, "published")),
    )
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(limit);
}
