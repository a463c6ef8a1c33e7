import { and, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import { moderationActions, notifications, postTags, posts, tags } from "~/db/schema";
import { getDb, type Transaction } from "~/lib/db.server";
import { MAX_PINNED_POSTS } from "./posts.server";

export const threadModerationActions = ["hide", "restore", "lock", "unlock", "pin", "unpin"] as const;
export type ThreadModerationAction = (typeof threadModerationActions)[number];

export type ModeratePostResult =
  { ok: true } | { ok: false; reason: "already" | "too-many-pinned" | "not-found" };

// Each action's change and the state it starts from: the guard in the UPDATE
// makes a repeated or concurrent action match no row, so exactly one wins.
const transitions: Record<ThreadModerationAction, { set: Partial<typeof posts.$inferInsert>; from: SQL }> = {
  hide: { set: { status: "hidden" }, from: eq(posts.status, "published") },
  restore: { set: { status: "published" }, from: eq(posts.status, "hidden") },
  lock: { set: { locked: true }, from: eq(posts.locked, false) },
  unlock: { set: { locked: false }, from: eq(posts.locked, true) },
  pin: { set: { pinned: true }, from: eq(posts.pinned, false) },
  unpin: { set: { pinned: false }, from: eq(posts.pinned, true) },
};

const notificationText: Partial<Record<ThreadModerationAction, (title: string, reason: string) => string>> = {
  hide: (title, reason) => `Your post "${title}" was hidden by a moderator${reason ? `: ${reason}` : "."}`,
  restore: (title) => `Your post "${title}" was restored and is public again.`,
};

/**
 * Hides, restores, locks, unlocks, pins or unpins a post. The change, the
 * tags' post counts (hide and restore), the author's notification (hide and
 * restore) and the log row commit together.
 */
export async function moderatePost({
  postId,
  moderatorId,
  action,
  reason = "",
}: {
  postId: number;
  moderatorId: number;
  action: ThreadModerationAction;
  reason?: string;
}): Promise<ModeratePostResult> {
  return getDb().transaction(async (tx) => {
    if (action === "pin" && !(await pinnedSlotFree(tx))) {
      const [already] = await tx
        .select({ id: posts.id })
        .from(posts)
        .where(and(eq(posts.id, postId), eq(posts.pinned, true)));
      return { ok: false, reason: already ? "already" : "too-many-pinned" };
    }

    const { set, from } = transitions[action];
    const statusChange = action === "hide" || action === "restore";
    const [post] = await tx
      .update(posts)
      .set(statusChange ? { ...set, updatedAt: sql`now()` } : set)
      .where(and(eq(posts.id, postId), ne(posts.status, "removed"), from))
      .returning({ authorId: posts.authorId, title: posts.title });
    if (!post) {
      const [exists] = await tx
        .select({ id: posts.id })
        .from(posts)
        .where(and(eq(posts.id, postId), ne(posts.status, "removed")));
      return { ok: false, reason: exists ? "already" : "not-found" };
    }

    if (statusChange) await moveTagCounts(tx, postId, action === "hide" ? -1 : 1);
    await tx.insert(moderationActions).values({
      actorId: moderatorId,
      action,
      postId,
      targetUserId: post.authorId,
      reason,
    });
    const message = notificationText[action]?.(post.title, reason);
    // A moderator acting on their own post needs no notice of it.
    if (message && post.authorId !== moderatorId) {
      await tx.insert(notifications).values({
        userId: post.authorId,
        kind: "moderation",
        actorId: moderatorId,
        postId,
        message,
      });
    }
    return { ok: true };
  });
}

/**
 * Whether another post may be pinned. Pinned posts in any status but removed
 * count, so restoring or approving one never pushes past the limit. The lock
 * makes two pins at the same moment count one after the other.
 */
async function pinnedSlotFree(tx: Transaction) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('crosswalk-pin-post'))`);
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(posts)
    .where(and(eq(posts.pinned, true), ne(posts.status, "removed")));
  return (row?.count ?? 0) < MAX_PINNED_POSTS;
}

/** Tag post counts cover published posts only: a hidden post leaves them, a restored one comes back. */
async function moveTagCounts(tx: Transaction, postId: number, by: 1 | -1) {
  const tagIds = await tx.select({ tagId: postTags.tagId }).from(postTags).where(eq(postTags.postId, postId));
  if (tagIds.length === 0) return;
  await tx
    .update(tags)
    .set({
      postCount: by === 1 ? sql`${tags.postCount} + 1` : sql`greatest(${tags.postCount} - 1, 0)`,
    })
    .where(
      inArray(
        tags.id,
        tagIds.map((row) => row.tagId),
      ),
    );
}
