import type { UserRole } from "~/db/schema";

const roleRank: Record<UserRole, number> = { member: 0, moderator: 1, admin: 2 };

/** True when the member's role is `role` or above it (an admin is also a moderator). */
export function hasRole(user: { role: UserRole } | null | undefined, role: UserRole) {
  return user ? roleRank[user.role] >= roleRank[role] : false;
}
