import { holdReason, type Author, type ModerationPolicy, type NewContent } from "./moderation-policy";

/**
 * The one place that decides whether a new post or comment is published at
 * once or held for a moderator, by the policy admins set (app/lib/moderation-policy.ts).
 */
export function initialStatus(
  author: Author,
  content: NewContent,
  policy: ModerationPolicy,
): "approved" | "pending" {
  return holdReason(author, content, policy) === null ? "approved" : "pending";
}
