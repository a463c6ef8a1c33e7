import type { GradeBand } from "../lib/grade-bands";
import type { ProgramType, StoryPartner } from "../lib/story-fields";
import type { LibraryType, PostKind, UserRole } from "./schema";

export type DemoMember = {
  username: string; // 3–30 of a-z, 0-9, _ and -
  displayName: string;
  email: string; // @example.org addresses only
  libraryType: LibraryType; // "school" | "public" | "academic" | "other"
  community: string | null; // town or district
  bio: string;
  role: UserRole; // "member" | "moderator" | "admin"
  /** The partner finder: state or region, and whether they are listed there. */
  region?: string | null;
  openToPartnering?: boolean;
};

export type DemoComment = {
  author: string; // a DemoMember username
  body: string; // markdown
  hoursAgo: number; // must be later (smaller) than its parent's and the post's
  /** Awaiting moderation: seen only by its author and moderators. */
  pending?: boolean;
  replies?: DemoComment[];
};

export type DemoPost = {
  author: string;
  kind: PostKind; // "question" | "idea" | "story" | "discussion"
  title: string; // 8–150 characters
  body: string; // markdown, 1–20,000 characters
  tags: string[]; // 1–5 names from demoTags
  hoursAgo: number;
  comments: DemoComment[];
  /** A question's summary of answers, written by the asker. */
  summary?: DemoSummary;
  /** A Success story's details (story_details). */
  story?: DemoStory;
  /** The post's booklist, in order. */
  booklist?: DemoBook[];
};

export type DemoBook = {
  title: string; // 1–300 characters
  author: string;
  isbn?: string; // ISBN-13 digits, check digit valid
  gradeBand?: GradeBand;
  note?: string;
};

export type DemoStory = {
  programType: ProgramType;
  partners: StoryPartner[];
  gradeBands: GradeBand[];
  reach?: number; // 0–10,000,000, as are the other numbers
  /** What was measured, with its figures before and after. */
  outcome?: { measure: string; before: number; after: number }; // measure: 1–100 characters
  staffHours?: number;
  wouldChange?: string; // up to 2,000 characters
  /** "I tried this": the title of an earlier demo story this one followed. */
  triedFrom?: string;
};

export type DemoSummary = {
  body: string; // markdown, 1–10,000 characters
  hoursAgo: number; // later (smaller) than the replies it credits
  /** The credited replies, each named by its author and its hoursAgo (unique within the post). */
  credits: { author: string; hoursAgo: number }[];
};

export type DemoTag = { name: string; description: string }; // name: 2–30 of a-z, 0-9, -
