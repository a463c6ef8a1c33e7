import { z } from "zod";
import type { UserRole } from "~/db/schema";

/** The moderation policy an admin sets at /admin/settings (SPEC defaults). */
export type ModerationPolicy = {
  /** A member's posts and comments are held until this many of theirs were approved. */
  trustThreshold: number;
  /** Anything with at least this many links is held, whoever wrote it (moderators aside). */
  linkLimit: number;
  /** Anything containing one of these whole words or phrases is held. */
  blockedWords: string[];
  /** Hold every post and comment of a member, trusted or not. */
  holdEverything: boolean;
};

export const defaultModerationPolicy: ModerationPolicy = {
  trustThreshold: 2,
  linkLimit: 3,
  blockedWords: [],
  holdEverything: false,
};

export const moderationPolicySchema = z.object({
  trustThreshold: z.number().int().min(0).max(1000),
  linkLimit: z.number().int().min(1).max(1000),
  blockedWords: z.array(z.string().min(1).max(100)).max(1000),
  holdEverything: z.boolean(),
});

/** A stored policy (possibly from an older version, or partial) read with the defaults filling gaps. */
export function readModerationPolicy(stored: unknown): ModerationPolicy {
  const merged = {
    ...defaultModerationPolicy,
    ...(typeof stored === "object" && stored !== null ? stored : {}),
  };
  const parsed = moderationPolicySchema.safeParse(merged);
  return parsed.success ? parsed.data : defaultModerationPolicy;
}

// Zero-width characters and soft hyphens hide a word from a plain match ("sp\u200bam").
const INVISIBLE = /[\u00ad\u200b-\u200f\u2060\ufeff]/g;

/** NFKC (fullwidth and styled letters become plain ones), lower case, invisible characters gone. */
export function normaliseForMatching(text: string) {
  return text.normalize("NFKC").replace(INVISIBLE, "").toLowerCase();
}

/** How many links a markdown body carries: URLs, www. addresses and mailto: links. */
export function countLinks(text: string): number {
  return (normaliseForMatching(text).match(/\b(?:https?:\/\/|www\.|mailto:)\S/g) ?? []).length;
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The first blocked word or phrase the text contains as whole words, or null. */
export function findBlockedWord(text: string, blockedWords: readonly string[]): string | null {
  const haystack = normaliseForMatching(text);
  for (const word of blockedWords) {
    const needle = normaliseForMatching(word).trim();
    if (!needle) continue;
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}])${escapeRegExp(needle).replace(/\s+/g, "\\s+")}(?![\\p{L}\\p{N}])`,
      "u",
    );
    if (pattern.test(haystack)) return word;
  }
  return null;
}

export type Author = { role: UserRole; approvedCount: number };
export type NewContent = { kind: "post" | "comment"; text: string };
export type HoldReason = "new-member" | "links" | "blocked-word" | "hold-everything";

/** Why the policy holds this item, or null to publish it at once. Moderators and admins are never held. */
export function holdReason(author: Author, content: NewContent, policy: ModerationPolicy): HoldReason | null {
  if (author.role !== "member") return null;
  if (policy.holdEverything) return "hold-everything";
  if (countLinks(content.text) >= policy.linkLimit) return "links";
  if (findBlockedWord(content.text, policy.blockedWords)) return "blocked-word";
  if (author.approvedCount < policy.trustThreshold) return "new-member";
  return null;
}
