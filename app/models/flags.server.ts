import { and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import {
  comments,
  flagReason,
  flags,
  moderationActions,
  notifications,
  postTags,
  posts,
  tags,
  users,
} from "~/db/schema";
import { getDb, type Transaction } from "~/lib/db.server";

// Flags hide nothing by a status of their own: a post hidden by flags is
// "hidden", a comment hidden by flags is "removed" with no deleted_at (the
// comment statuses have no "hidden", and "pending" would tell its author it
// awaits approval). Which hidden items flags hid is read from the moderation
// log: the latest status change is the system's "hide".

/** Open flags from this many members hide an item until a moderator reviews it (SPEC). */
export const FLAGS_TO_HIDE = 3;
export const FLAG_NOTE_MAX = 1000;

export type FlagReason = (typeof flagReason.enumValues)[number];
export type FlagTarget = { kind: "post" | "comment"; id: number };

export const flagReasonLabels: Record<FlagReason, string> = {
  off_topic: "Off-topic",
  inappropriate: "Inappropriate",
  spam: "Spam",
  other: "Other",
};

export const flagReasonOptions = flagReason.enumValues.map((value) => ({
  value,
  label: flagReasonLabels[value],
}));

const NOTE_NEEDED = "Say what is wrong: a note is needed when the reason is Other.";

export const flagFormSchema = z
  .object({
    reason: z.enum(flagReason.enumValues, { error: "Choose why you are flagging this." }),
    note: z
      .string()
      .trim()
      .max(FLAG_NOTE_MAX, `Keep the note to ${FLAG_NOTE_MAX.toLocaleString("en-US")} characters.`)
      .default(""),
  })
  .superRefine((value, context) => {
    if (value.reason === "other" && value.note === "") {
      context.addIssue({ code: "custom", path: ["note"], message: NOTE_NEEDED });
    }
  });

const HIDE_REASON = `${FLAGS_TO_HIDE} members flagged it`;

// The log kinds that change an item's status; the latest one says why it is hidden.
const statusActions = ["approve", "reject", "spam", "hide", "restore", "remove", "keep_flagged"] as const;

const onTarget = (target: FlagTarget) =>
  target.kind === "post" ? eq(flags.postId, target.id) : eq(flags.commentId, target.id);

/** The item as a member about to flag it sees it; undefined unless the public can see it. */
export async function getFlaggableItem(target: FlagTarget, viewerId: number) {
  const db = getDb();
  const alreadyFlagged = db
    .select({ id: flags.id })
    .from(flags)
    .where(and(onTarget(target), eq(flags.flaggerId, viewerId)));
  if (target.kind === "post") {
    const [post] = await db
      .select({
        authorId: posts.authorId,
        authorDisplayName: users.displayName,
        postId: posts.id,
        postTitle: posts.title,
        postSlug: posts.slug,
        bodyMd: posts.bodyMd,
        alreadyFlagged: sql<boolean>`exists (${alreadyFlagged})`,
      })
      .from(posts)
      .innerJoin(users, eq(users.id, posts.authorId))
      .where(and(eq(posts.id, target.id), eq(posts.status, "published")));
    return post;
  }
  const [comment] = await db
    .select({
      authorId: comments.authorId,
      authorDisplayName: users.displayName,
      postId: posts.id,
      postTitle: posts.title,
      postSlug: posts.slug,
      bodyMd: comments.bodyMd,
      alreadyFlagged: sql<boolean>`exists (${alreadyFlagged})`,
    })
    .from(comments)
    .innerJoin(posts, eq(posts.id, comments.postId))
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(
      and(
        eq(comments.id, target.id),
        eq(comments.status, "approved"),
        isNull(comments.deletedAt),
        eq(posts.status, "published"),
      ),
    );
  return comment;
}

type LockedItem = {
  authorId: number;
  postId: number;
  postSlug: string;
  /** The counters count it: a published post, an approved comment not deleted. */
  counted: boolean;
  /** Everyone can see it now (a comment also needs its thread published). */
  visible: boolean;
  /** Its status is the one flags give an item they hide. */
  hideable: boolean;
};

/** Reads the item and locks its row, so flags and decisions on one item take turns. */
async function lockItem(tx: Transaction, target: FlagTarget): Promise<LockedItem | undefined> {
  if (target.kind === "post") {
    const [post] = await tx
      .select({ authorId: posts.authorId, slug: posts.slug, status: posts.status })
      .from(posts)
      .where(eq(posts.id, target.id))
      .for("no key update");
    if (!post) return undefined;
    const counted = post.status === "published";
    return {
      authorId: post.authorId,
      postId: target.id,
      postSlug: post.slug,
      counted,
      visible: counted,
      hideable: post.status === "hidden",
    };
  }
  const [comment] = await tx
    .select({
      authorId: comments.authorId,
      postId: comments.postId,
      status: comments.status,
      deletedAt: comments.deletedAt,
      postSlug: posts.slug,
      postStatus: posts.status,
    })
    .from(comments)
    .innerJoin(posts, eq(posts.id, comments.postId))
    .where(eq(comments.id, target.id))
    .for("no key update", { of: comments });
  if (!comment) return undefined;
  const counted = comment.status === "approved" && !comment.deletedAt;
  return {
    authorId: comment.authorId,
    postId: comment.postId,
    postSlug: comment.postSlug,
    counted,
    visible: counted && comment.postStatus === "published",
    hideable: comment.status === "removed" && !comment.deletedAt,
  };
}

/** True when the item's latest status change in the log is flags hiding it. */
async function hiddenByFlags(tx: Transaction, target: FlagTarget) {
  const [latest] = await tx
    .select({ action: moderationActions.action, actorId: moderationActions.actorId })
    .from(moderationActions)
    .where(
      and(
        target.kind === "post"
          ? and(eq(moderationActions.postId, target.id), isNull(moderationActions.commentId))
          : eq(moderationActions.commentId, target.id),
        inArray(moderationActions.action, [...statusActions]),
      ),
    )
    .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
    .limit(1);
  return latest?.action === "hide" && latest.actorId === null;
}

async function moveTagCounts(tx: Transaction, postId: number, step: 1 | -1) {
  const tagIds = await tx.select({ tagId: postTags.tagId }).from(postTags).where(eq(postTags.postId, postId));
  if (tagIds.length === 0) return;
  await tx
    .update(tags)
    .set({ postCount: sql`greatest(${tags.postCount} + ${step}, 0)` })
    .where(
      inArray(
        tags.id,
        tagIds.map((row) => row.tagId),
      ),
    );
}

async function moveCommentCount(tx: Transaction, postId: number, step: 1 | -1) {
  await tx
    .update(posts)
    .set({ commentCount: sql`greatest(${posts.commentCount} + ${step}, 0)` })
    .where(eq(posts.id, postId));
}

/** Takes a counted item out of public view, moving the counters that count it. */
async function takeDown(
  tx: Transaction,
  target: FlagTarget,
  item: LockedItem,
  postStatus: "hidden" | "removed",
) {
  if (target.kind === "post") {
    await tx
      .update(posts)
      .set({ status: postStatus, updatedAt: sql`now()` })
      .where(eq(posts.id, target.id));
    await moveTagCounts(tx, target.id, -1);
  } else {
    // Comments have no "hidden": hidden or removed, a comment is "removed" (see the top of this file).
    await tx
      .update(comments)
      .set({ status: "removed", updatedAt: sql`now()` })
      .where(eq(comments.id, target.id));
    await moveCommentCount(tx, item.postId, -1);
  }
}

async function restoreItem(tx: Transaction, target: FlagTarget, item: LockedItem) {
  if (target.kind === "post") {
    await tx
      .update(posts)
      .set({ status: "published", updatedAt: sql`now()` })
      .where(eq(posts.id, target.id));
    await moveTagCounts(tx, target.id, 1);
  } else {
    await tx
      .update(comments)
      .set({ status: "approved", updatedAt: sql`now()` })
      .where(eq(comments.id, target.id));
    await moveCommentCount(tx, item.postId, 1);
  }
}

const logRefs = (target: FlagTarget, item: LockedItem) =>
  target.kind === "post" ? { postId: target.id } : { postId: item.postId, commentId: target.id };

export type FlagResult =
  | { ok: true; hidden: boolean; postId: number; postSlug: string }
  | { ok: false; reason: "unavailable" | "own" | "already-flagged" };

/**
 * Records one member's flag. In one transaction, with the item's row locked:
 * the item must be public and not the flagger's own, a second flag from the
 * same member is refused by the unique index, flag_count (the item's open
 * flags) goes up, and the flag that brings the open flags to FLAGS_TO_HIDE
 * hides the item, logged as the system's "hide".
 */
export async function flagContent(input: {
  flaggerId: number;
  target: FlagTarget;
  reason: FlagReason;
  note: string;
}): Promise<FlagResult> {
  const { flaggerId, target } = input;
  return getDb().transaction(async (tx) => {
    const item = await lockItem(tx, target);
    if (!item?.visible) return { ok: false, reason: "unavailable" };
    if (item.authorId === flaggerId) return { ok: false, reason: "own" };
    const [flag] = await tx
      .insert(flags)
      .values({
        flaggerId,
        postId: target.kind === "post" ? target.id : null,
        commentId: target.kind === "comment" ? target.id : null,
        reason: input.reason,
        note: input.note,
      })
      .onConflictDoNothing()
      .returning({ id: flags.id });
    if (!flag) return { ok: false, reason: "already-flagged" };

    const table = target.kind === "post" ? posts : comments;
    await tx
      .update(table)
      .set({ flagCount: sql`${table.flagCount} + 1` })
      .where(eq(table.id, target.id));

    // Each member flags an item once (unique index), so open flags are from distinct members.
    const [open] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(flags)
      .where(and(onTarget(target), eq(flags.status, "open")));
    const hidden = (open?.count ?? 0) >= FLAGS_TO_HIDE;
    if (hidden) {
      await takeDown(tx, target, item, "hidden");
      await tx.insert(moderationActions).values({
        actorId: null,
        action: "hide",
        targetUserId: item.authorId,
        reason: HIDE_REASON,
        details: { flags: open?.count },
        ...logRefs(target, item),
      });
    }
    return { ok: true, hidden, postId: item.postId, postSlug: item.postSlug };
  });
}

/** How many flags wait for a moderator, and on how many items. */
export async function countOpenFlags() {
  const [row] = await getDb()
    .select({
      flags: sql<number>`count(*)::int`,
      // Post ids as they are, comment ids negated: one key per flagged item.
      items: sql<number>`count(distinct coalesce(${flags.postId}, -${flags.commentId}))::int`,
    })
    .from(flags)
    .where(eq(flags.status, "open"));
  return { flags: row?.flags ?? 0, items: row?.items ?? 0 };
}

/**
 * Open flags for the queue, one group per flagged item, the item flagged
 * longest ago first: the item (its thread, its HTML, its author, whether
 * the public can see it) and each flag's reason, note, flagger and time.
 */
export async function listOpenFlags(limit = 100) {
  const db = getDb();
  const firstFlaggedAt = sql<Date>`min(${flags.createdAt})`.mapWith(flags.createdAt);
  const groups = await db
    .select({ postId: flags.postId, commentId: flags.commentId, firstFlaggedAt })
    .from(flags)
    .where(eq(flags.status, "open"))
    .groupBy(flags.postId, flags.commentId)
    .orderBy(asc(firstFlaggedAt), asc(sql`coalesce(${flags.postId}, -${flags.commentId})`))
    .limit(limit);
  if (groups.length === 0) return [];

  const postIds = groups.flatMap((group) => (group.postId === null ? [] : [group.postId]));
  const commentIds = groups.flatMap((group) => (group.commentId === null ? [] : [group.commentId]));
  const [openFlags, flaggedPosts, flaggedComments] = await Promise.all([
    db
      .select({
        id: flags.id,
        postId: flags.postId,
        commentId: flags.commentId,
        reason: flags.reason,
        note: flags.note,
        createdAt: flags.createdAt,
        flaggerUsername: users.username,
        flaggerDisplayName: users.displayName,
      })
      .from(flags)
      .innerJoin(users, eq(users.id, flags.flaggerId))
      .where(
        and(
          eq(flags.status, "open"),
          or(
            postIds.length > 0 ? inArray(flags.postId, postIds) : undefined,
            commentIds.length > 0 ? inArray(flags.commentId, commentIds) : undefined,
          ),
        ),
      )
      .orderBy(asc(flags.createdAt), asc(flags.id)),
    postIds.length === 0
      ? []
      : db
          .select({
            id: posts.id,
            postId: posts.id,
            postTitle: posts.title,
            postSlug: posts.slug,
            bodyHtml: posts.bodyHtml,
            hidden: sql<boolean>`${posts.status} <> 'published'`,
            createdAt: posts.createdAt,
            authorUsername: users.username,
            authorDisplayName: users.displayName,
          })
          .from(posts)
          .innerJoin(users, eq(users.id, posts.authorId))
          .where(inArray(posts.id, postIds)),
    commentIds.length === 0
      ? []
      : db
          .select({
            id: comments.id,
            postId: posts.id,
            postTitle: posts.title,
            postSlug: posts.slug,
            bodyHtml: comments.bodyHtml,
            hidden: sql<boolean>`(${comments.status} <> 'approved' or ${comments.deletedAt} is not null or ${posts.status} <> 'published')`,
            createdAt: comments.createdAt,
            authorUsername: users.username,
            authorDisplayName: users.displayName,
          })
          .from(comments)
          .innerJoin(posts, eq(posts.id, comments.postId))
          .innerJoin(users, eq(users.id, comments.authorId))
          .where(inArray(comments.id, commentIds)),
  ]);

  const postsById = new Map(flaggedPosts.map((row) => [row.id, row]));
  const commentsById = new Map(flaggedComments.map((row) => [row.id, row]));
  return groups.flatMap((group) => {
    const kind = group.postId !== null ? ("post" as const) : ("comment" as const);
    const id = (group.postId ?? group.commentId)!;
    const item = kind === "post" ? postsById.get(id) : commentsById.get(id);
    if (!item) return [];
    const itemFlags = openFlags
      .filter((flag) => (kind === "post" ? flag.postId === id : flag.commentId === id))
      .map((flag) => ({
        id: flag.id,
        reason: flag.reason,
        reasonLabel: flagReasonLabels[flag.reason],
        note: flag.note,
        createdAt: flag.createdAt,
        flaggerUsername: flag.flaggerUsername,
        flaggerDisplayName: flag.flaggerDisplayName,
      }));
    return [{ ...item, kind, id, firstFlaggedAt: group.firstFlaggedAt, flags: itemFlags }];
  });
}

export type FlaggedItem = Awaited<ReturnType<typeof listOpenFlags>>[number];

export type ResolveResult = { ok: true; restored: boolean } | { ok: false; reason: "already-handled" };

/**
 * A moderator's verdict on an item's open flags, in one transaction. The
 * flags are closed only while still open, so of two moderators acting at
 * once exactly one wins. Keep restores an item the flags hid; Remove takes
 * the item down (moving the counters that counted it) and tells its author.
 */
export async function resolveFlags(input: {
  target: FlagTarget;
  outcome: "keep" | "remove";
  moderatorId: number;
  reason: string;
}): Promise<ResolveResult> {
  const { target, outcome, moderatorId, reason } = input;
  return getDb().transaction(async (tx) => {
    const item = await lockItem(tx, target);
    if (!item) return { ok: false, reason: "already-handled" };
    const closed = await tx
      .update(flags)
      .set({
        status: outcome === "keep" ? "kept" : "removed",
        resolvedById: moderatorId,
        resolvedAt: sql`now()`,
      })
      .where(and(onTarget(target), eq(flags.status, "open")))
      .returning({ id: flags.id });
    if (closed.length === 0) return { ok: false, reason: "already-handled" };

    const table = target.kind === "post" ? posts : comments;
    await tx.update(table).set({ flagCount: 0 }).where(eq(table.id, target.id));

    const hidden = item.hideable && (await hiddenByFlags(tx, target));
    const refs = logRefs(target, item);
    const restored = outcome === "keep" && hidden;
    if (restored) await restoreItem(tx, target, item);
    // Otherwise already gone (deleted by its author, or handled outside the flags): nothing to take down.
    if (outcome === "remove" && (item.counted || hidden)) {
      if (item.counted) await takeDown(tx, target, item, "removed");
      else if (target.kind === "post") {
        await tx
          .update(posts)
          .set({ status: "removed", updatedAt: sql`now()` })
          .where(eq(posts.id, target.id));
      }
      // Like a deletion, a removal takes back the approved contribution it counted.
      await tx
        .update(users)
        .set({ approvedCount: sql`greatest(${users.approvedCount} - 1, 0)` })
        .where(eq(users.id, item.authorId));
      await tx.insert(notifications).values({
        userId: item.authorId,
        kind: "moderation",
        actorId: moderatorId,
        message: `Your ${target.kind} was removed after members flagged it${reason ? `: ${reason}` : "."}`,
        ...refs,
      });
    }
    await tx.insert(moderationActions).values({
      actorId: moderatorId,
      action: outcome === "keep" ? "keep_flagged" : "remove",
      targetUserId: item.authorId,
      reason,
      details: { flags: closed.length, ...(restored ? { restored } : {}) },
      ...refs,
    });
    return { ok: true, restored };
  });
}
