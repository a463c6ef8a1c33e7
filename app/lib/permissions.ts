import type { UserRole } from "~/db/schema";

const roleRank: Record<UserRole, number> = { member: 0, moderator: 1, admin: 2 };

type Actor = { id: number; role: UserRole } | null | undefined;

/** True when the member's role is `role` or above it (an admin is also a moderator). */
export function hasRole(user: { role: UserRole } | null | undefined, role: UserRole) {
  return user ? roleRank[user.role] >= roleRank[role] : false;
}

export type ContentAction = "edit" | "delete";

/**
 * Whether `user` may do `action` to a post or comment: its author may edit and
 * delete their own, moderators anyone's. The page asks to decide which
 * controls to show; the action asks again before it changes anything.
 */
export function can(user: Actor, _action: ContentAction, content: { authorId: number }): boolean {
  if (!user) return false;
  return user.id === content.authorId || hasRole(user, "moderator");
}

/** Whether `actor` may choose the accepted answer of a post by `authorId`. */
export function canAcceptAnswer(
  actor: { id: number; role: UserRole } | null | undefined,
  post: { authorId: number; kind: string },
) {
  if (!actor || post.kind !== "question") return false;
  return actor.id === post.authorId || hasRole(actor, "moderator");
}
