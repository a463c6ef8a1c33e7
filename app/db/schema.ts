// The whole forum's schema. Column names are camelCase here and snake_case in
// SQL through Drizzle's `casing: "snake_case"`, set in drizzle.config.ts and in
// the client (app/lib/db.server.ts). Reasoning: docs/architecture.md.
import { sql, type SQL } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { libraryTypes } from "../lib/library-types";

const tsvector = customType<{ data: string }>({
  dataType() {
    return "tsvector";
  },
});

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
const id = () => integer().primaryKey().generatedByDefaultAsIdentity();

export const userRole = pgEnum("user_role", ["member", "moderator", "admin"]);
export const libraryType = pgEnum("library_type", libraryTypes);
export const userStatus = pgEnum("user_status", ["active", "suspended", "banned"]);
export const emailFrequency = pgEnum("email_frequency", ["immediately", "daily", "weekly", "never"]);
export const postKind = pgEnum("post_kind", ["question", "idea", "story", "discussion"]);
export const postStatus = pgEnum("post_status", ["published", "pending", "hidden", "removed"]);
export const commentStatus = pgEnum("comment_status", ["pending", "approved", "rejected", "spam", "removed"]);
export const flagReason = pgEnum("flag_reason", ["off_topic", "inappropriate", "spam", "other"]);
export const flagStatus = pgEnum("flag_status", ["open", "kept", "removed"]);
export const moderationActionKind = pgEnum("moderation_action_kind", [
  "approve",
  "reject",
  "spam",
  "hide",
  "restore",
  "remove",
  "lock",
  "unlock",
  "pin",
  "unpin",
  "edit",
  "keep_flagged",
  "suspend",
  "ban",
  "reinstate",
  "change_role",
  "change_settings",
]);
export const storyPartner = pgEnum("story_partner", [
  "school_library",
  "public_library",
  "teachers",
  "administrators",
  "families",
  "other",
]);
export const gradeBand = pgEnum("grade_band", ["prek", "k_2", "3_5", "6_8", "9_12", "all_ages"]);
export const programType = pgEnum("program_type", [
  "curriculum_booklist",
  "summer_reading",
  "teacher_workshop",
  "class_visit",
  "library_card_drive",
  "author_visit",
  "advocacy",
  "other",
]);
export const notificationKind = pgEnum("notification_kind", [
  "reply",
  "mention",
  "watched_reply",
  "approved",
  "rejected",
  "accepted_answer",
  "moderation",
  "helpful",
  "summary_credit",
  "introduction",
]);
/** What a member chooses an e-mail frequency for; each notification kind belongs to one. */
export const emailTopic = pgEnum("email_topic", [
  "replies",
  "mentions",
  "watched",
  "accepted",
  "helpful",
  "moderation",
  "introductions",
]);

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text().notNull(),
    username: text().notNull(),
    displayName: text().notNull(),
    passwordHash: text().notNull(),
    role: userRole().notNull().default("member"),
    libraryType: libraryType().notNull(),
    community: text(),
    bio: text().notNull().default(""),
    status: userStatus().notNull().default("active"),
    statusReason: text(),
    suspendedUntil: timestamp({ withTimezone: true }),
    approvedCount: integer().notNull().default(0),
    rejectedCount: integer().notNull().default(0),
    spamCount: integer().notNull().default(0),
    /** State, province or region, for the partner finder (community is the town or district). */
    region: text(),
    openToPartnering: boolean().notNull().default(false),
    acceptsIntroductions: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: createdAt(),
    /** The member deleted their account: the row stays as "Deleted member" for what they wrote, with nothing personal left. */
    deletedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    uniqueIndex("users_email_lower_key").on(sql`lower(${table.email})`),
    uniqueIndex("users_username_key").on(table.username),
    check("users_username_format", sql`${table.username} ~ '^[a-z0-9_-]{3,30}$'`),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    // SHA-256 of the cookie's random token, so a leaked table cannot be replayed.
    idHash: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ipAddress: text(),
    userAgent: text(),
  },
  (table) => [
    index("sessions_user_id_idx").on(table.userId),
    index("sessions_expires_at_idx").on(table.expiresAt),
    index("sessions_last_seen_at_idx").on(table.lastSeenAt),
  ],
);

export const passwordResetTokens = pgTable(
  "password_reset_tokens",
  {
    tokenHash: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index("password_reset_tokens_user_id_idx").on(table.userId)],
);

export const posts = pgTable(
  "posts",
  {
    id: id(),
    authorId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    kind: postKind().notNull(),
    title: text().notNull(),
    slug: text().notNull(),
    bodyMd: text().notNull(),
    bodyHtml: text().notNull(),
    status: postStatus().notNull().default("published"),
    /** Why a post the author published anyway was held (the privacy check), shown in the queue. */
    heldReason: text(),
    locked: boolean().notNull().default(false),
    pinned: boolean().notNull().default(false),
    commentCount: integer().notNull().default(0),
    helpfulCount: integer().notNull().default(0),
    flagCount: integer().notNull().default(0),
    acceptedCommentId: integer().references((): AnyPgColumn => comments.id, { onDelete: "set null" }),
    // Set by the form; the same submission twice makes one post.
    submissionKey: text(),
    lastActivityAt: createdAt(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
    editedAt: timestamp({ withTimezone: true }),
    searchVector: tsvector().generatedAlwaysAs(
      (): SQL =>
        sql`setweight(to_tsvector('english', ${posts.title}), 'A') || setweight(to_tsvector('english', ${posts.bodyMd}), 'B')`,
    ),
  },
  (table) => [
    uniqueIndex("posts_author_submission_key").on(table.authorId, table.submissionKey),
    index("posts_accepted_comment_id_idx").on(table.acceptedCommentId),
    // Keyset pagination of the public lists: newest activity first.
    index("posts_published_activity_idx")
      .on(table.lastActivityAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.status} = 'published'`),
    index("posts_published_kind_activity_idx")
      .on(table.kind, table.lastActivityAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.status} = 'published'`),
    index("posts_published_created_idx")
      .on(table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.status} = 'published'`),
    // The few pinned posts above the home page: found without reading the others.
    index("posts_published_pinned_idx")
      .on(table.lastActivityAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.status} = 'published' and ${table.pinned}`),
    // ?sort=unanswered: questions with no reply and no accepted answer, newest first.
    index("posts_unanswered_questions_idx")
      .on(table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(
        sql`${table.status} = 'published' and ${table.kind} = 'question' and ${table.acceptedCommentId} is null and ${table.commentCount} = 0`,
      ),
    // The Top sort (?sort=top&period=all; the shorter periods filter this order by date).
    index("posts_published_helpful_idx")
      .on(table.helpfulCount.desc().nullsFirst(), table.id.desc().nullsFirst())
      .where(sql`${table.status} = 'published'`),
    index("posts_pending_idx")
      .on(table.createdAt)
      .where(sql`${table.status} = 'pending'`),
    index("posts_search_vector_idx").using("gin", table.searchVector),
    check("posts_title_length", sql`char_length(${table.title}) between 1 and 150`),
    check("posts_counts_not_negative", sql`${table.commentCount} >= 0 and ${table.helpfulCount} >= 0`),
  ],
);

export const comments = pgTable(
  "comments",
  {
    id: id(),
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    parentId: integer().references((): AnyPgColumn => comments.id, { onDelete: "cascade" }),
    authorId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    // 1 for a reply to the post, parent's depth + 1 for a reply to a comment.
    depth: integer().notNull().default(1),
    bodyMd: text().notNull(),
    bodyHtml: text().notNull(),
    status: commentStatus().notNull().default("approved"),
    heldReason: text(),
    helpfulCount: integer().notNull().default(0),
    flagCount: integer().notNull().default(0),
    // Set by the form; the same submission twice makes one comment.
    submissionKey: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
    editedAt: timestamp({ withTimezone: true }),
    // Deleted by its author: shown as "[deleted]" while replies to it remain.
    deletedAt: timestamp({ withTimezone: true }),
    searchVector: tsvector().generatedAlwaysAs((): SQL => sql`to_tsvector('english', ${comments.bodyMd})`),
  },
  (table) => [
    // The whole thread in one indexed read, in display order.
    index("comments_post_id_created_idx").on(table.postId, table.createdAt, table.id),
    index("comments_parent_id_idx").on(table.parentId),
    index("comments_author_id_idx").on(table.authorId, table.createdAt.desc().nullsFirst()),
    index("comments_pending_idx")
      .on(table.createdAt)
      .where(sql`${table.status} = 'pending'`),
    index("comments_search_vector_idx")
      .using("gin", table.searchVector)
      .where(sql`${table.status} = 'approved'`),
    uniqueIndex("comments_author_submission_key").on(table.authorId, table.submissionKey),
    check("comments_depth_positive", sql`${table.depth} >= 1`),
    check("comments_parent_depth", sql`(${table.parentId} is null) = (${table.depth} = 1)`),
  ],
);

export const tags = pgTable(
  "tags",
  {
    id: id(),
    name: text().notNull(),
    description: text().notNull().default(""),
    postCount: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("tags_name_key").on(table.name),
    check("tags_name_format", sql`${table.name} ~ '^[a-z0-9-]{2,30}$'`),
  ],
);

export const postTags = pgTable(
  "post_tags",
  {
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    tagId: integer()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (table) => [
    primaryKey({ columns: [table.postId, table.tagId] }),
    index("post_tags_tag_id_idx").on(table.tagId),
  ],
);

/** A "Helpful" mark on a post or a comment; there are no downvotes. */
export const votes = pgTable(
  "votes",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: integer().references(() => posts.id, { onDelete: "cascade" }),
    commentId: integer().references(() => comments.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (table) => [
    // Nulls are distinct in a unique index, so each one constrains only its own kind of target,
    // and being whole (not partial) they also serve the user foreign key.
    uniqueIndex("votes_user_post_key").on(table.userId, table.postId),
    uniqueIndex("votes_user_comment_key").on(table.userId, table.commentId),
    index("votes_post_id_idx").on(table.postId),
    index("votes_comment_id_idx").on(table.commentId),
    check("votes_one_target", sql`num_nonnulls(${table.postId}, ${table.commentId}) = 1`),
  ],
);

export const flags = pgTable(
  "flags",
  {
    id: id(),
    flaggerId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: integer().references(() => posts.id, { onDelete: "cascade" }),
    commentId: integer().references(() => comments.id, { onDelete: "cascade" }),
    reason: flagReason().notNull(),
    note: text().notNull().default(""),
    status: flagStatus().notNull().default("open"),
    resolvedById: integer().references(() => users.id, { onDelete: "set null" }),
    resolvedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("flags_flagger_post_key").on(table.flaggerId, table.postId),
    uniqueIndex("flags_flagger_comment_key").on(table.flaggerId, table.commentId),
    index("flags_post_id_idx").on(table.postId),
    index("flags_comment_id_idx").on(table.commentId),
    index("flags_resolved_by_id_idx").on(table.resolvedById),
    index("flags_open_idx")
      .on(table.createdAt)
      .where(sql`${table.status} = 'open'`),
    check("flags_one_target", sql`num_nonnulls(${table.postId}, ${table.commentId}) = 1`),
  ],
);

/** Every moderation act, written in the same transaction as the act. */
export const moderationActions = pgTable(
  "moderation_actions",
  {
    id: id(),
    // Null when the system acted (an automatic suspension, flags hiding an item).
    actorId: integer().references(() => users.id, { onDelete: "set null" }),
    action: moderationActionKind().notNull(),
    postId: integer().references(() => posts.id, { onDelete: "set null" }),
    commentId: integer().references(() => comments.id, { onDelete: "set null" }),
    targetUserId: integer().references(() => users.id, { onDelete: "set null" }),
    reason: text().notNull().default(""),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (table) => [
    index("moderation_actions_created_idx").on(
      table.createdAt.desc().nullsFirst(),
      table.id.desc().nullsFirst(),
    ),
    index("moderation_actions_actor_id_idx").on(table.actorId),
    index("moderation_actions_post_id_idx").on(table.postId),
    index("moderation_actions_comment_id_idx").on(table.commentId),
    index("moderation_actions_target_user_id_idx").on(table.targetUserId),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: notificationKind().notNull(),
    actorId: integer().references(() => users.id, { onDelete: "set null" }),
    postId: integer().references(() => posts.id, { onDelete: "cascade" }),
    commentId: integer().references(() => comments.id, { onDelete: "cascade" }),
    introductionId: integer().references(() => introductions.id, { onDelete: "cascade" }),
    message: text().notNull().default(""),
    /** How many events this row stands for (Helpful marks are batched into one unread row). */
    count: integer().notNull().default(1),
    readAt: timestamp({ withTimezone: true }),
    emailedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    index("notifications_user_created_idx").on(table.userId, table.createdAt.desc().nullsFirst()),
    index("notifications_user_unread_idx")
      .on(table.userId)
      .where(sql`${table.readAt} is null`),
    index("notifications_unemailed_idx")
      .on(table.createdAt)
      .where(sql`${table.emailedAt} is null`),
    index("notifications_actor_id_idx").on(table.actorId),
    index("notifications_post_id_idx").on(table.postId),
    index("notifications_comment_id_idx").on(table.commentId),
    index("notifications_introduction_id_idx").on(table.introductionId),
  ],
);

/** Watching a thread; `watching = false` remembers an explicit "Stop watching". */
export const subscriptions = pgTable(
  "subscriptions",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    postId: integer()
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    watching: boolean().notNull().default(true),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.postId] }),
    index("subscriptions_post_id_idx").on(table.postId),
  ],
);

/** The structured part of a Success story: who, for whom, what kind, and what came of it. */
export const storyDetails = pgTable(
  "story_details",
  {
    postId: integer()
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    programType: programType().notNull(),
    partners: storyPartner()
      .array()
      .notNull()
      .default(sql`'{}'`),
    gradeBands: gradeBand()
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** Students or families reached. */
    reach: integer(),
    /** What was measured, e.g. "library cards issued", with the numbers before and after. */
    outcomeMeasure: text(),
    outcomeBefore: integer(),
    outcomeAfter: integer(),
    staffHours: integer(),
    wouldChange: text().notNull().default(""),
    /** "I tried this": the story this one followed. */
    triedFromPostId: integer().references((): AnyPgColumn => posts.id, { onDelete: "set null" }),
  },
  (table) => [
    index("story_details_tried_from_post_id_idx").on(table.triedFromPostId),
    index("story_details_program_type_idx").on(table.programType),
    check(
      "story_details_numbers_not_negative",
      sql`coalesce(${table.reach}, 0) >= 0 and coalesce(${table.outcomeBefore}, 0) >= 0 and coalesce(${table.outcomeAfter}, 0) >= 0 and coalesce(${table.staffHours}, 0) >= 0`,
    ),
    check(
      "story_details_not_tried_from_itself",
      sql`${table.triedFromPostId} is distinct from ${table.postId}`,
    ),
  ],
);

/** One book of a booklist carried by a post or a comment. */
export const booklistItems = pgTable(
  "booklist_items",
  {
    id: id(),
    postId: integer().references(() => posts.id, { onDelete: "cascade" }),
    commentId: integer().references(() => comments.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    title: text().notNull(),
    author: text().notNull().default(""),
    /** Always stored as ISBN-13 digits, so the same book on two lists is one book. */
    isbn: text(),
    gradeBand: gradeBand(),
    note: text().notNull().default(""),
    searchVector: tsvector().generatedAlwaysAs(
      (): SQL =>
        sql`setweight(to_tsvector('english', ${booklistItems.title}), 'A') || setweight(to_tsvector('simple', ${booklistItems.author}), 'B')`,
    ),
  },
  (table) => [
    uniqueIndex("booklist_items_post_position_key").on(table.postId, table.position),
    uniqueIndex("booklist_items_comment_position_key").on(table.commentId, table.position),
    index("booklist_items_isbn_idx").on(table.isbn),
    index("booklist_items_search_vector_idx").using("gin", table.searchVector),
    check("booklist_items_one_target", sql`num_nonnulls(${table.postId}, ${table.commentId}) = 1`),
    check("booklist_items_isbn13", sql`${table.isbn} ~ '^97[89][0-9]{10}$'`),
  ],
);

/** The asker's (or a moderator's) summary of a question's answers: LM_NET's "HIT" practice. */
export const answerSummaries = pgTable(
  "answer_summaries",
  {
    postId: integer()
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    authorId: integer().references(() => users.id, { onDelete: "set null" }),
    bodyMd: text().notNull(),
    bodyHtml: text().notNull(),
    searchVector: tsvector().generatedAlwaysAs(
      (): SQL => sql`to_tsvector('english', ${answerSummaries.bodyMd})`,
    ),
    editedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (table) => [
    index("answer_summaries_author_id_idx").on(table.authorId),
    index("answer_summaries_search_vector_idx").using("gin", table.searchVector),
  ],
);

/** The comments a summary draws on; each credited author is notified. */
export const answerSummaryCredits = pgTable(
  "answer_summary_credits",
  {
    postId: integer()
      .notNull()
      .references(() => answerSummaries.postId, { onDelete: "cascade" }),
    commentId: integer()
      .notNull()
      .references(() => comments.id, { onDelete: "cascade" }),
  },
  (table) => [
    primaryKey({ columns: [table.postId, table.commentId] }),
    index("answer_summary_credits_comment_id_idx").on(table.commentId),
  ],
);

/** The earlier text of an edited summary. */
export const answerSummaryRevisions = pgTable(
  "answer_summary_revisions",
  {
    id: id(),
    postId: integer()
      .notNull()
      .references(() => answerSummaries.postId, { onDelete: "cascade" }),
    editorId: integer().references(() => users.id, { onDelete: "set null" }),
    bodyMd: text().notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index("answer_summary_revisions_post_id_idx").on(table.postId, table.createdAt),
    index("answer_summary_revisions_editor_id_idx").on(table.editorId),
  ],
);

/** A short message from one member to another through the partner finder. */
export const introductions = pgTable(
  "introductions",
  {
    id: id(),
    senderId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    recipientId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    message: text().notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index("introductions_sender_id_idx").on(table.senderId, table.createdAt),
    index("introductions_recipient_id_idx").on(table.recipientId, table.createdAt),
    check("introductions_not_self", sql`${table.senderId} <> ${table.recipientId}`),
  ],
);

/** A member who blocked another from introducing themselves. */
export const memberBlocks = pgTable(
  "member_blocks",
  {
    blockerId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    blockedId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.blockerId, table.blockedId] }),
    index("member_blocks_blocked_id_idx").on(table.blockedId),
  ],
);

/** A member's e-mail choice per topic; a missing row means the topic's default. */
export const emailPreferences = pgTable(
  "email_preferences",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    topic: emailTopic().notNull(),
    frequency: emailFrequency().notNull(),
    updatedAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.topic] })],
);

/** The previous text of an edited post or comment. */
export const revisions = pgTable(
  "revisions",
  {
    id: id(),
    postId: integer().references(() => posts.id, { onDelete: "cascade" }),
    commentId: integer().references(() => comments.id, { onDelete: "cascade" }),
    editorId: integer().references(() => users.id, { onDelete: "set null" }),
    title: text(),
    bodyMd: text().notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index("revisions_post_id_idx").on(table.postId, table.createdAt),
    index("revisions_comment_id_idx").on(table.commentId, table.createdAt),
    index("revisions_editor_id_idx").on(table.editorId),
    check("revisions_one_target", sql`num_nonnulls(${table.postId}, ${table.commentId}) = 1`),
  ],
);

/** Outgoing e-mail; delivered through SMTP_URL when set, otherwise kept here to be read. */
export const outbox = pgTable(
  "outbox",
  {
    id: id(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    textBody: text().notNull(),
    htmlBody: text(),
    /** Extra headers such as List-Unsubscribe. */
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    attempts: integer().notNull().default(0),
    lastError: text(),
    /** A failed delivery waits until then (back-off); a claimed one is leased until then. */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    index("outbox_due_idx")
      .on(table.nextAttemptAt)
      .where(sql`${table.sentAt} is null`),
  ],
);

export const settings = pgTable(
  "settings",
  {
    key: text().primaryKey(),
    value: jsonb().notNull(),
    updatedById: integer().references(() => users.id, { onDelete: "set null" }),
    updatedAt: createdAt(),
  },
  (table) => [index("settings_updated_by_id_idx").on(table.updatedById)],
);

/** Fixed-window counters shared by every app process. */
export const rateLimitBuckets = pgTable(
  "rate_limit_buckets",
  {
    key: text().primaryKey(),
    hits: integer().notNull().default(0),
    windowEndsAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index("rate_limit_buckets_window_ends_at_idx").on(table.windowEndsAt)],
);

export type User = typeof users.$inferSelect;
export type Post = typeof posts.$inferSelect;
export type Comment = typeof comments.$inferSelect;
export type PostKind = (typeof postKind.enumValues)[number];
export type LibraryType = (typeof libraryType.enumValues)[number];
export type UserRole = (typeof userRole.enumValues)[number];
