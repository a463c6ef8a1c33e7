import { and, asc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import {
  booklistItems,
  comments,
  emailPreferences,
  flags,
  introductions,
  memberBlocks,
  notifications,
  outbox,
  passwordResetTokens,
  posts,
  revisions,
  storyDetails,
  subscriptions,
  users,
  votes,
} from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { closeFlagsOnContentOf, removeAllContent } from "./members.server";
import { deleteUserSessions } from "./sessions.server";

export const MEMBER_EXPORT_FORMAT = "crosswalk-member-export";
export const MEMBER_EXPORT_VERSION = 1;
export const DELETED_MEMBER_NAME = "Deleted member";

/** A member to export, found by e-mail address (any letter case) or username; deleted accounts are not found. */
export async function findMemberId(emailOrUsername: string) {
  const [row] = await getDb()
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        or(sql`lower(${users.email}) = lower(${emailOrUsername})`, eq(users.username, emailOrUsername)),
        isNull(users.deletedAt),
      ),
    )
    .limit(1);
  return row?.id;
}

/**
 * Everything a member gave the forum: their account and settings, what they
 * wrote (with earlier versions), their booklists, marks, watches, flags,
 * introductions and blocks. Never another member's e-mail address or
 * anything a moderator wrote about them.
 */
export async function exportMemberData(userId: number) {
  const db = getDb();
  const [account] = await db
    .select({
      username: users.username,
      displayName: users.displayName,
      email: users.email,
      role: users.role,
      status: users.status,
      libraryType: users.libraryType,
      community: users.community,
      region: users.region,
      bio: users.bio,
      openToPartnering: users.openToPartnering,
      acceptsIntroductions: users.acceptsIntroductions,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
    })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)));
  if (!account) return undefined;

  const ownPosts = await db
    .select({
      id: posts.id,
      kind: posts.kind,
      title: posts.title,
      slug: posts.slug,
      body: posts.bodyMd,
      status: posts.status,
      createdAt: posts.createdAt,
      editedAt: posts.editedAt,
      // Spelled out: drizzle writes ${posts.id} unqualified here, which the subquery would read as tag.id.
      tags: sql<string[]>`coalesce((
        select json_agg(tag.name order by tag.name) from post_tags as tagged
        join tags as tag on tag.id = tagged.tag_id
        where tagged.post_id = "posts"."id"), '[]'::json)`,
    })
    .from(posts)
    .where(eq(posts.authorId, userId))
    .orderBy(asc(posts.id));
  const ownComments = await db
    .select({
      id: comments.id,
      postId: comments.postId,
      parentId: comments.parentId,
      body: comments.bodyMd,
      status: comments.status,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      deletedAt: comments.deletedAt,
    })
    .from(comments)
    .where(eq(comments.authorId, userId))
    .orderBy(asc(comments.id));
  const postIds = ownPosts.map((post) => post.id);
  const commentIds = ownComments.map((comment) => comment.id);
  const ownItems = (postColumn: AnyPgColumn, commentColumn: AnyPgColumn) =>
    or(
      postIds.length > 0 ? inArray(postColumn, postIds) : sql`false`,
      commentIds.length > 0 ? inArray(commentColumn, commentIds) : sql`false`,
    );

  const [earlierVersions, books, stories, preferences, marks, watching, flagsMade, sent, received, blocked] =
    await Promise.all([
      db
        .select({
          postId: revisions.postId,
          commentId: revisions.commentId,
          title: revisions.title,
          body: revisions.bodyMd,
          replacedAt: revisions.createdAt,
        })
        .from(revisions)
        .where(ownItems(revisions.postId, revisions.commentId))
        .orderBy(asc(revisions.id)),
      db
        .select({
          postId: booklistItems.postId,
          commentId: booklistItems.commentId,
          position: booklistItems.position,
          title: booklistItems.title,
          author: booklistItems.author,
          isbn: booklistItems.isbn,
          gradeBand: booklistItems.gradeBand,
          note: booklistItems.note,
        })
        .from(booklistItems)
        .where(ownItems(booklistItems.postId, booklistItems.commentId))
        .orderBy(asc(booklistItems.id)),
      postIds.length > 0
        ? db.select().from(storyDetails).where(inArray(storyDetails.postId, postIds))
        : Promise.resolve([]),
      db
        .select({ topic: emailPreferences.topic, frequency: emailPreferences.frequency })
        .from(emailPreferences)
        .where(eq(emailPreferences.userId, userId))
        .orderBy(asc(emailPreferences.topic)),
      db
        .select({ postId: votes.postId, commentId: votes.commentId, createdAt: votes.createdAt })
        .from(votes)
        .where(eq(votes.userId, userId))
        .orderBy(asc(votes.id)),
      db
        .select({ postId: subscriptions.postId, watching: subscriptions.watching })
        .from(subscriptions)
        .where(eq(subscriptions.userId, userId))
        .orderBy(asc(subscriptions.postId)),
      db
        .select({
          postId: flags.postId,
          commentId: flags.commentId,
          reason: flags.reason,
          note: flags.note,
          status: flags.status,
          createdAt: flags.createdAt,
        })
        .from(flags)
        .where(eq(flags.flaggerId, userId))
        .orderBy(asc(flags.id)),
      db
        .select({ to: users.username, message: introductions.message, createdAt: introductions.createdAt })
        .from(introductions)
        .innerJoin(users, eq(users.id, introductions.recipientId))
        .where(eq(introductions.senderId, userId))
        .orderBy(asc(introductions.id)),
      db
        .select({ from: users.username, message: introductions.message, createdAt: introductions.createdAt })
        .from(introductions)
        .innerJoin(users, eq(users.id, introductions.senderId))
        .where(eq(introductions.recipientId, userId))
        .orderBy(asc(introductions.id)),
      db
        .select({ username: users.username, createdAt: memberBlocks.createdAt })
        .from(memberBlocks)
        .innerJoin(users, eq(users.id, memberBlocks.blockedId))
        .where(eq(memberBlocks.blockerId, userId))
        .orderBy(asc(users.username)),
    ]);

  return {
    format: MEMBER_EXPORT_FORMAT,
    version: MEMBER_EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    account,
    emailPreferences: preferences,
    posts: ownPosts.map((post) => ({
      ...post,
      story: stories.find((story) => story.postId === post.id) ?? null,
      booklist: books.filter((book) => book.postId === post.id),
      earlierVersions: earlierVersions.filter((version) => version.postId === post.id),
    })),
    replies: ownComments.map((comment) => ({
      ...comment,
      booklist: books.filter((book) => book.commentId === comment.id),
      earlierVersions: earlierVersions.filter((version) => version.commentId === comment.id),
    })),
    helpfulMarks: marks,
    watchedThreads: watching,
    flags: flagsMade,
    introductions: { sent, received },
    blockedMembers: blocked,
  };
}

export type MemberExport = NonNullable<Awaited<ReturnType<typeof exportMemberData>>>;

/**
 * Deletes a member's account. The row stays, because posts and replies point
 * at it, but as "Deleted member" with no e-mail address, password, profile,
 * settings, sessions, watches, notifications, introductions or mail left.
 * With `removeContent`, everything they wrote leaves the forum as a
 * moderator's removal would, counters kept right; otherwise it stays, shown
 * as by "Deleted member". One transaction: all of it or none.
 */
export async function deleteMemberAccount({
  userId,
  removeContent,
}: {
  userId: number;
  removeContent: boolean;
}) {
  return getDb().transaction(async (tx) => {
    const [member] = await tx
      .select({ email: users.email, role: users.role })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.deletedAt)))
      .for("no key update");
    if (!member) return { deleted: false as const, reason: "gone" as const };
    if (member.role === "admin") {
      // Locked, so two admins deleting themselves at once cannot leave the forum with none.
      const otherAdmins = await tx
        .select({ id: users.id })
        .from(users)
        .where(
          and(
            eq(users.role, "admin"),
            eq(users.status, "active"),
            isNull(users.deletedAt),
            ne(users.id, userId),
          ),
        )
        .for("no key update");
      if (otherAdmins.length === 0) return { deleted: false as const, reason: "last-admin" as const };
    }

    const removed = removeContent
      ? await removeAllContent(tx, userId)
      : { removedPosts: 0, removedComments: 0 };
    if (removeContent) await closeFlagsOnContentOf(tx, userId, null);

    await deleteUserSessions(userId, {}, tx);
    await tx.delete(passwordResetTokens).where(eq(passwordResetTokens.userId, userId));
    await tx.delete(emailPreferences).where(eq(emailPreferences.userId, userId));
    await tx.delete(subscriptions).where(eq(subscriptions.userId, userId));
    await tx.delete(notifications).where(eq(notifications.userId, userId));
    await tx
      .delete(introductions)
      .where(or(eq(introductions.senderId, userId), eq(introductions.recipientId, userId)));
    await tx
      .delete(memberBlocks)
      .where(or(eq(memberBlocks.blockerId, userId), eq(memberBlocks.blockedId, userId)));
    // Mail not yet sent to them, and copies of what was: it holds their address.
    await tx.delete(outbox).where(sql`lower(${outbox.toAddress}) = lower(${member.email})`);
    await tx
      .update(users)
      .set({
        email: sql`'deleted-' || ${users.id} || '@deleted.invalid'`,
        username: sql`'deleted-' || ${users.id}`,
        displayName: DELETED_MEMBER_NAME,
        // Not a hash any password can match: log-in with it always fails.
        passwordHash: "!deleted",
        role: "member",
        community: null,
        region: null,
        bio: "",
        openToPartnering: false,
        acceptsIntroductions: false,
        statusReason: null,
        suspendedUntil: null,
        deletedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, userId));
    return { deleted: true as const, ...removed };
  });
}
