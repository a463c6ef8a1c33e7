import type { moderationActionKind } from "~/db/schema";

export type ModerationActionKind = (typeof moderationActionKind.enumValues)[number];

/** How the moderation log names each kind of action. */
export const moderationActionLabels: Record<ModerationActionKind, string> = {
  approve: "Approved",
  reject: "Rejected",
  spam: "Marked as spam",
  hide: "Hidden",
  restore: "Restored",
  remove: "Removed",
  lock: "Locked",
  unlock: "Unlocked",
  pin: "Pinned",
  unpin: "Unpinned",
  edit: "Edited",
  keep_flagged: "Kept after flags",
  suspend: "Suspended",
  ban: "Banned",
  reinstate: "Reinstated",
  change_role: "Changed role",
  change_settings: "Changed settings",
};
