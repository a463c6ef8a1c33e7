import { and, asc, eq, gt, ilike, inArray, lte, or, sql } from "drizzle-orm";
import {
  comments,
  moderationActions,
  notifications,
  postTags,
  posts,
  tags,
  users,
  type userStatus,
  type UserRole,
} from "~/db/schema";
import { getDb, type Transaction } from "~/lib/db.server";
import { hasRole } from "~/lib/permissions";
import { formatAbsolute } from "~/lib/time";
import { deleteUserSessions } from "./sessions.server";

export const MEMBERS_PAGE_SIZE = 50;

export type MemberStatus = (typeof userStatus.enumValues)[number];

type Party = { id: number; role: UserRole };

/**
 * Whether `actor` may suspend, ban or restore `target`: moderators act on
 * members, only admins act on moderators, nobody acts on an admin or on
 * themselves. The page asks to decide which buttons to show; the models ask
 * again inside the transaction.
 */
export function canModerateMember(actor: Party, target: Party): boolean {
  if (actor.id === target.id || target.role === "admin") return false;
  if (target.role === "moderator") return actor.role === "admin";
  return hasRole(actor, "moderator");
}

/** Only admins change roles, and never their own (so the last admin cannot demote themselves). */
export function canChangeRole(actor: Party, target: Party): boolean {
  return actor.id !== target.id && actor.role === "admin";
}

/** The page's username cursor: usernames are already URL-safe. */
export function isMemberCursor(value: string): boolean {
  return /^[a-z0-9_-]{1,30}$/.test(value);
}

/**
 * Members whose username or display name contains `query`, by username, a
 * page at a time (keyset on the unique username). Never the e-mail address.
 */
export async function searchMembers({
  query,
  status,
  cursor,
  limit = MEMBERS_PAGE_SIZE,
}: {
  query: string;
  status?: MemberStatus;
  cursor: string | null;
  limit?: number;
}) {
  // The person's text is matched literally: % and _ are not wildcards here.
  const pattern = `%${query.replace(/[\\%_]/g, "\\$&")}%`;
  const rows = await getDb()
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      libraryType: users.libraryType,
      role: users.role,
      status: users.status,
      statusReason: users.statusReason,
      suspendedUntil: users.suspendedUntil,
      approvedCount: users.approvedCount,
      rejectedCount: users.rejectedCount,
      spamCount: users.spamCount,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(
      and(
        query ? or(ilike(users.username, pattern), ilike(users.displayName, pattern)) : undefined,
        status ? eq(users.status, status) : undefined,
        cursor ? gt(users.username, cursor) : undefined,
      ),
    )
    .orderBy(asc(users.username))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { members: page, nextCursor: rows.length > limit && last ? last.username : null };
}

export type MemberRow = Awaited<ReturnType<typeof searchMembers>>["members"][number];

export type MemberRefusal =
  | "not-found"
  /** Acting on one's own account. */
  | "self"
  /** The actor's role does not reach the target's (see canModerateMember). */
  | "forbidden"
  | "until-in-past"
  /** Restoring a member who is not suspended or banned. */
  | "already-active"
  /** Changing a role to the one the member has. */
  | "same-role";

type Target = { id: number; username: string; displayName: string; role: UserRole; status: MemberStatus };

export type MemberActionResult<Extra = object> =
  ({ ok: true; member: Target } & Extra) | { ok: false; reason: MemberRefusal; member?: Target };

/**
 * Reads the acting member and locks the target's row, so two moderators acting
 * on one member at once take turns and each sees the other's result.
 */
async function loadParties(tx: Transaction, actorId: number, targetId: number) {
  const [target] = await tx
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      status: users.status,
    })
    .from(users)
    .where(eq(users.id, targetId))
    .for("no key update");
  const [actor] = await tx
    .select({ id: users.id, role: users.role, status: users.status })
    .from(users)
    .where(eq(users.id, actorId));
  return { actor: actor?.status === "active" ? actor : undefined, target };
}

/** The locked target when `allowed` lets the actor act on them, or the refusal. */
async function checkParties(
  tx: Transaction,
  actorId: number,
  targetId: number,
  allowed: (actor: Party, target: Party) => boolean,
): Promise<{ ok: true; target: Target } | { ok: false; reason: MemberRefusal; member?: Target }> {
  const { actor, target } = await loadParties(tx, actorId, targetId);
  if (!target) return { ok: false, reason: "not-found" };
  if (actorId === targetId) return { ok: false, reason: "self", member: target };
  // An actor demoted or suspended since the page loaded has lost the right.
  if (!actor || !allowed(actor, target)) return { ok: false, reason: "forbidden", member: target };
  return { ok: true, target };
}

async function logAndNotify(
  tx: Transaction,
  entry: {
    actorId: number | null;
    action: "suspend" | "ban" | "reinstate" | "change_role";
    targetUserId: number;
    reason: string;
    details: Record<string, unknown>;
    message: string;
  },
) {
  const { message, ...action } = entry;
  await tx.insert(moderationActions).values(action);
  await tx.insert(notifications).values({
    userId: entry.targetUserId,
    kind: "moderation",
    actorId: entry.actorId,
    message,
  });
}

const withReason = (sentence: string, reason: string) => (reason ? `${sentence}: ${reason}` : `${sentence}.`);

/**
 * Suspends a member until `until` (null: until a moderator restores them).
 * Their sessions end in the same transaction, so they are signed out at once.
 */
export async function suspendMember({
  userId,
  moderatorId,
  reason,
  until,
}: {
  userId: number;
  moderatorId: number;
  reason: string;
  until: Date | null;
}): Promise<MemberActionResult> {
  if (until && until.getTime() <= Date.now()) return { ok: false, reason: "until-in-past" };
  return getDb().transaction(async (tx) => {
    const checked = await checkParties(tx, moderatorId, userId, canModerateMember);
    if (!checked.ok) return checked;
    const { target } = checked;
    await tx
      .update(users)
      .set({ status: "suspended", statusReason: reason, suspendedUntil: until, updatedAt: sql`now()` })
      .where(eq(users.id, userId));
    await deleteUserSessions(userId, {}, tx);
    await logAndNotify(tx, {
      actorId: moderatorId,
      action: "suspend",
      targetUserId: userId,
      reason,
      details: { until: until?.toISOString() ?? null, previousStatus: target.status },
      message: withReason(
        until ? `Your account is suspended until ${formatAbsolute(until)}` : "Your account is suspended",
        reason,
      ),
    });
    return { ok: true, member: { ...target, status: "suspended" } };
  });
}

/**
 * Bans a member: their sessions end at once and, with `removeContent`, their
 * published and held posts and their approved and held comments are removed,
 * with the threads' comment counts and the tags' post counts moved to match.
 */
export async function banMember({
  userId,
  moderatorId,
  reason,
  removeContent,
}: {
  userId: number;
  moderatorId: number;
  reason: string;
  removeContent: boolean;
}): Promise<MemberActionResult<{ removedPosts: number; removedComments: number }>> {
  return getDb().transaction(async (tx) => {
    const checked = await checkParties(tx, moderatorId, userId, canModerateMember);
    if (!checked.ok) return checked;
    const { target } = checked;
    await tx
      .update(users)
      .set({ status: "banned", statusReason: reason, suspendedUntil: null, updatedAt: sql`now()` })
      .where(eq(users.id, userId));
    await deleteUserSessions(userId, {}, tx);
    const removed = removeContent
      ? await removeAllContent(tx, userId)
      : { removedPosts: 0, removedComments: 0 };
    if (removeContent) await closeFlagsOnContentOf(tx, userId, moderatorId);
    await logAndNotify(tx, {
      actorId: moderatorId,
      action: "ban",
      targetUserId: userId,
      reason,
      details: { removeContent, ...removed, previousStatus: target.status },
      message: withReason("Your account is banned", reason),
    });
    return { ok: true, member: { ...target, status: "banned" }, ...removed };
  });
}

/** Open flags on a member's removed content are settled: there is nothing left to keep. */
export async function closeFlagsOnContentOf(tx: Transaction, userId: number, resolverId: number | null) {
  await tx.execute(sql`
    update flags set status = 'removed', resolved_by_id = ${resolverId}, resolved_at = now()
    where status = 'open'
      and (post_id in (select id from posts where author_id = ${userId})
           or comment_id in (select id from comments where author_id = ${userId}))`);
}

/** Takes every post and reply of a member out of the forum, with the counters kept right. */
export async function removeAllContent(tx: Transaction, userId: number) {
  // The rows are locked first and then changed by id, so an item that
  // arrives meanwhile is either counted and removed or left alone, never
  // removed without its counter moving.
  const ownPosts = await tx
    .select({ id: posts.id, status: posts.status })
    .from(posts)
    // Hidden posts too: otherwise a moderator's later Keep on their flags could bring one back.
    .where(and(eq(posts.authorId, userId), inArray(posts.status, ["published", "pending", "hidden"])))
    .for("no key update");
  const postIds = ownPosts.map((post) => post.id);
  const publishedIds = ownPosts.filter((post) => post.status === "published").map((post) => post.id);
  if (publishedIds.length > 0) {
    await tx.execute(sql`
      update ${tags} set post_count = greatest(${tags.postCount} - counted.n, 0)
      from (
        select ${postTags.tagId} as tag_id, count(*)::int as n from ${postTags}
        where ${inArray(postTags.postId, publishedIds)}
        group by ${postTags.tagId}
      ) as counted
      where ${tags.id} = counted.tag_id`);
  }
  if (postIds.length > 0) {
    await tx
      .update(posts)
      .set({ status: "removed", updatedAt: sql`now()` })
      .where(inArray(posts.id, postIds));
  }

  const ownComments = await tx
    .select({ id: comments.id, status: comments.status })
    .from(comments)
    .where(and(eq(comments.authorId, userId), inArray(comments.status, ["approved", "pending"])))
    .for("no key update");
  const commentIds = ownComments.map((comment) => comment.id);
  const approvedIds = ownComments.filter((comment) => comment.status === "approved").map((row) => row.id);
  if (approvedIds.length > 0) {
    await tx.execute(sql`
      update ${posts} set comment_count = greatest(${posts.commentCount} - counted.n, 0)
      from (
        select ${comments.postId} as post_id, count(*)::int as n from ${comments}
        where ${inArray(comments.id, approvedIds)}
        group by ${comments.postId}
      ) as counted
      where ${posts.id} = counted.post_id`);
  }
  if (commentIds.length > 0) {
    await tx
      .update(comments)
      .set({ status: "removed", updatedAt: sql`now()` })
      .where(inArray(comments.id, commentIds));
    // A removed comment is no longer anyone's accepted answer.
    await tx
      .update(posts)
      .set({ acceptedCommentId: null })
      .where(inArray(posts.acceptedCommentId, commentIds));
  }
  return { removedPosts: postIds.length, removedComments: commentIds.length };
}

const activeAgain = {
  status: "active",
  statusReason: null,
  suspendedUntil: null,
  updatedAt: sql`now()`,
} as const;

/** Lifts a suspension or a ban. Content a ban removed stays removed. */
export async function restoreMember({
  userId,
  moderatorId,
  reason,
}: {
  userId: number;
  moderatorId: number;
  reason: string;
}): Promise<MemberActionResult> {
  return getDb().transaction(async (tx) => {
    const checked = await checkParties(tx, moderatorId, userId, canModerateMember);
    if (!checked.ok) return checked;
    const { target } = checked;
    if (target.status === "active") return { ok: false, reason: "already-active", member: target };
    await tx.update(users).set(activeAgain).where(eq(users.id, userId));
    await logAndNotify(tx, {
      actorId: moderatorId,
      action: "reinstate",
      targetUserId: userId,
      reason,
      details: { previousStatus: target.status },
      message: withReason("Your account has been restored", reason),
    });
    return { ok: true, member: { ...target, status: "active" } };
  });
}

/** Gives a member another role; admins only, never on themselves. */
export async function changeRole({
  userId,
  adminId,
  role,
}: {
  userId: number;
  adminId: number;
  role: UserRole;
}): Promise<MemberActionResult<{ from: UserRole }>> {
  return getDb().transaction(async (tx) => {
    const checked = await checkParties(tx, adminId, userId, canChangeRole);
    if (!checked.ok) return checked;
    const { target } = checked;
    if (target.role === role) return { ok: false, reason: "same-role", member: target };
    await tx
      .update(users)
      .set({ role, updatedAt: sql`now()` })
      .where(eq(users.id, userId));
    await logAndNotify(tx, {
      actorId: adminId,
      action: "change_role",
      targetUserId: userId,
      reason: "",
      details: { from: target.role, to: role },
      message: `Your role is now ${role}.`,
    });
    return { ok: true, member: { ...target, role }, from: target.role };
  });
}

export const SUSPENSION_ENDED = "Suspension ended";

export type MemberStanding =
  | { active: true }
  | { active: false; status: "suspended" | "banned"; reason: string | null; until: Date | null };

/**
 * Whether a member may use the site now. A suspension whose end has passed
 * is lifted here, with a "reinstate" row by the system, so it ends by itself
 * the next time they log in.
 */
export async function checkMemberStanding(userId: number): Promise<MemberStanding> {
  return getDb().transaction(async (tx) => {
    // Conditional, so of two log-ins at once exactly one writes the log row.
    const [lifted] = await tx
      .update(users)
      .set(activeAgain)
      .where(and(eq(users.id, userId), eq(users.status, "suspended"), lte(users.suspendedUntil, sql`now()`)))
      .returning({ id: users.id });
    if (lifted) {
      await tx.insert(moderationActions).values({
        actorId: null,
        action: "reinstate",
        targetUserId: userId,
        reason: SUSPENSION_ENDED,
      });
      return { active: true };
    }
    const [row] = await tx
      .select({ status: users.status, reason: users.statusReason, until: users.suspendedUntil })
      .from(users)
      .where(eq(users.id, userId));
    if (!row) throw new Error(`No member ${userId}.`);
    if (row.status === "active") return { active: true };
    return { active: false, status: row.status, reason: row.reason, until: row.until };
  });
}
