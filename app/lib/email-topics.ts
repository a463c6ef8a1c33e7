/**
 * What a member picks an e-mail frequency for in /settings. Each notification
 * kind belongs to one topic; the defaults follow the issue: replies and
 * mentions at once, everything else in the weekly digest.
 */
export const EMAIL_TOPICS = [
  "replies",
  "mentions",
  "watched",
  "accepted",
  "helpful",
  "moderation",
  "introductions",
] as const;
export type EmailTopic = (typeof EMAIL_TOPICS)[number];

export const EMAIL_FREQUENCIES = ["immediately", "daily", "weekly", "never"] as const;
export type EmailFrequency = (typeof EMAIL_FREQUENCIES)[number];

export const EMAIL_FREQUENCY_LABELS: Record<EmailFrequency, string> = {
  immediately: "Immediately",
  daily: "Daily digest",
  weekly: "Weekly digest",
  never: "Never",
};

export const EMAIL_TOPIC_LABELS: Record<EmailTopic, string> = {
  replies: "Replies to you",
  mentions: "Mentions of you",
  watched: "New replies in threads you watch",
  accepted: "Your answer accepted",
  helpful: "Helpful marks",
  moderation: "Moderation decisions",
  introductions: "Introductions from other librarians",
};

export const DEFAULT_EMAIL_FREQUENCY: Record<EmailTopic, EmailFrequency> = {
  replies: "immediately",
  mentions: "immediately",
  watched: "weekly",
  accepted: "weekly",
  helpful: "weekly",
  moderation: "weekly",
  introductions: "immediately",
};

export type NotificationKind =
  | "reply"
  | "mention"
  | "watched_reply"
  | "approved"
  | "rejected"
  | "accepted_answer"
  | "moderation"
  | "helpful"
  | "summary_credit"
  | "introduction";

export const TOPIC_OF_KIND: Record<NotificationKind, EmailTopic> = {
  reply: "replies",
  mention: "mentions",
  watched_reply: "watched",
  accepted_answer: "accepted",
  helpful: "helpful",
  approved: "moderation",
  rejected: "moderation",
  moderation: "moderation",
  // Being credited in a summary of answers is news of the same kind as an accepted answer.
  summary_credit: "accepted",
  introduction: "introductions",
};

export function isEmailTopic(value: unknown): value is EmailTopic {
  return typeof value === "string" && (EMAIL_TOPICS as readonly string[]).includes(value);
}
