import { and, asc, desc, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import { comments, posts, revisions, users } from "~/db/schema";
import { getDb } from "~/lib/db.server";

/** A comment anyone may read: approved and not deleted (its thread's status is checked apart). */
export const commentIsPublic = and(eq(comments.status, "approved"), isNull(comments.deletedAt))!;

export type ThreadComment = Awaited<ReturnType<typeof listThreadComments>>[number];

/**
 * Every comment of a post that `viewerId` may see, in one indexed read,
 * oldest first: approved ones, the viewer's own held ones, and deleted ones
 * (as placeholders, whose replies may still stand). The page assembles the
 * tree in memory (app/lib/comment-tree.ts).
 */
export async function listThreadComments(postId: number, viewerId: number | null) {
  return getDb()
    .select({
      id: comments.id,
      parentId: comments.parentId,
      depth: comments.depth,
      status: comments.status,
      authorId: comments.authorId,
      bodyHtml: comments.bodyHtml,
      helpfulCount: comments.helpfulCount,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      deletedAt: comments.deletedAt,
      authorUsername: users.username,
      authorDisplayName: users.displayName,
      authorLibraryType: users.libraryType,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(
      and(
        eq(comments.postId, postId),
        or(
          eq(comments.status, "approved"),
          isNotNull(comments.deletedAt),
          viewerId === null
            ? undefined
            : and(eq(comments.status, "pending"), eq(comments.authorId, viewerId)),
        ),
      ),
    )
    .orderBy(asc(comments.createdAt), asc(comments.id));
}

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
