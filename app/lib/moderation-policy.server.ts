import type { UserRole } from "~/db/schema";

export type Author = { role: UserRole; approvedCount: number };
export type NewContent = { kind: "post" | "comment"; text: string };

/**
 * The one place that decides whether a new post or comment is published at
 * once or held for a moderator. For now everything is published; the
 * moderation policy (held newcomers, links, blocked words) fills this in.
 */
export function initialStatus(_author: Author, _content: NewContent): "approved" | "pending" {
  return "approved";
}
