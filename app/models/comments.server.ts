import { and, asc, desc, eq } from "drizzle-orm";
import { comments, posts, users } from "~/db/schema";
import { getDb } from "~/lib/db.server";

export type ThreadComment = Awaited<ReturnType<typeof listApprovedPostComments>>[number];

/**
 * Every approved comment of a post in one indexed read, oldest first; the page
 * assembles the tree in memory (app/lib/comment-tree.ts).
 */
export async function listApprovedPostComments(postId: number) {
  return getDb()
    .select({
      id: comments.id,
      parentId: comments.parentId,
      depth: comments.depth,
      bodyHtml: comments.bodyHtml,
      helpfulCount: comments.helpfulCount,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      authorUsername: users.username,
      authorDisplayName: users.displayName,
      authorLibraryType: users.libraryType,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.postId, postId), eq(comments.status, "approved")))
    .orderBy(asc(comments.createdAt), asc(comments.id));
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
