import { and, eq, inArray, ne, sql } from "drizzle-orm";
import {
  comments,
  moderationActions,
  notificationKind,
  notifications,
  postTags,
  posts,
  revisions,
  subscriptions,
  tags,
  users,
  type PostKind,
} from "~/db/schema";
import type { BooklistRow } from "~/lib/booklist";
import { builtOnce } from "~/lib/built-once.server";
import { commitWithLastStatements, getDb, type Transaction } from "~/lib/db.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { initialStatus } from "~/lib/moderation-policy.server";
import { slugify } from "~/lib/text";
import type { StoryInput } from "~/lib/validation";
import {
  commentAudience,
  commentRecipients,
  notifyMentionsAddedByEdit,
  notifyPostPublished,
} from "./notifications.server";
import { insertCommentBooklist, replaceCommentBooklist, replacePostBooklist } from "./booklists.server";
import { postTagNames } from "./posts.server";
import { hitBucket, type Bucket, type BucketLimit } from "./rate-limits.server";
import { getModerationPolicy } from "./settings.server";
import { saveStoryDetails } from "./stories.server";

// Every write here moves the counters it affects (comment_count,
// last_activity_at, tag post_count, approved contributions) in its own
// transaction, so a page never shows a count that disagrees with the rows.

const lockAuthorQuery = builtOnce((db) =>
  db
    .select({ role: users.role, approvedCount: users.approvedCount, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, sql.placeholder("authorId")))
    .for("no key update")
    .prepare("lock_author"),
);

async function loadAuthor(tx: Transaction, authorId: number) {
  const [author] = await lockAuthorQuery(tx, { authorId });
  if (!author) throw new Error(`No member ${authorId}.`);
  return author;
}

const watchQuery = builtOnce((db) =>
  db
    .insert(subscriptions)
    .values({ userId: sql.placeholder("userId"), postId: sql.placeholder("postId") })
    .onConflictDoNothing()
    .prepare("watch_thread"),
);

async function watch(tx: Transaction, userId: number, postId: number) {
  // An earlier explicit "Stop watching" (watching = false) is kept.
  await watchQuery(tx, { userId, postId });
}

async function attachTags(tx: Transaction, postId: number, names: string[], published: boolean) {
  if (names.length === 0) return;
  await tx
    .insert(tags)
    .values(names.map((name) => ({ name })))
    .onConflictDoNothing();
  const rows = await tx.select({ id: tags.id }).from(tags).where(inArray(tags.name, names));
  await tx.insert(postTags).values(rows.map((row) => ({ postId, tagId: row.id })));
  if (published) {
    await tx
      .update(tags)
      .set({ postCount: sql`${tags.postCount} + 1` })
      .where(
        inArray(
          tags.id,
          rows.map((row) => row.id),
        ),
      );
  }
}

async function detachTags(tx: Transaction, postId: number, published: boolean) {
  const removed = await tx
    .delete(postTags)
    .where(eq(postTags.postId, postId))
    .returning({ tagId: postTags.tagId });
  if (published && removed.length > 0) {
    await tx
      .update(tags)
      .set({ postCount: sql`greatest(${tags.postCount} - 1, 0)` })
      .where(
        inArray(
          tags.id,
          removed.map((row) => row.tagId),
        ),
      );
  }
}

export type NewPost = {
  authorId: number;
  kind: PostKind;
  title: string;
  bodyMd: string;
  tags: string[];
  submissionKey?: string;
  /** Holds the post whatever the author's trust, with this note for moderators (the privacy check). */
  holdReason?: string;
  /** The post's booklist, in order. */
  booklist?: BooklistRow[];
  /** A Success story's structured part (story_details), saved with the post. */
  story?: StoryInput | null;
};

/** Publishes (or holds) a post. The same submission key twice gives back the first post. */
export async function createPost(input: NewPost) {
  return getDb().transaction(async (tx) => {
    if (input.submissionKey) {
      const [existing] = await tx
        .select({ id: posts.id, slug: posts.slug, status: posts.status })
        .from(posts)
        .where(and(eq(posts.authorId, input.authorId), eq(posts.submissionKey, input.submissionKey)));
      if (existing) return { ...existing, duplicate: true };
    }
    const author = await loadAuthor(tx, input.authorId);
    const policy = await getModerationPolicy(tx);
    const published =
      !input.holdReason &&
      initialStatus(author, { kind: "post", text: `${input.title}\n${input.bodyMd}` }, policy) === "approved";
    const [post] = await tx
      .insert(posts)
      .values({
        authorId: input.authorId,
        kind: input.kind,
        title: input.title,
        slug: slugify(input.title),
        bodyMd: input.bodyMd,
        bodyHtml: renderMarkdown(input.bodyMd),
        status: published ? "published" : "pending",
        heldReason: input.holdReason ?? null,
        submissionKey: input.submissionKey ?? null,
      })
      .onConflictDoNothing({ target: [posts.authorId, posts.submissionKey] })
      .returning({ id: posts.id, slug: posts.slug, status: posts.status });
    if (!post) {
      // The same submission, sent twice at the same moment: the other one won.
      const [winner] = await tx
        .select({ id: posts.id, slug: posts.slug, status: posts.status })
        .from(posts)
        .where(and(eq(posts.authorId, input.authorId), eq(posts.submissionKey, input.submissionKey ?? "")));
      return { ...winner!, duplicate: true };
    }
    await attachTags(tx, post.id, input.tags, published);
    if (input.booklist) await replacePostBooklist(tx, post.id, input.booklist);
    if (input.kind === "story") await saveStoryDetails(tx, post.id, input.story);
    await watch(tx, input.authorId, post.id);
    if (published) {
      await tx
        .update(users)
        .set({ approvedCount: sql`${users.approvedCount} + 1` })
        .where(eq(users.id, input.authorId));
      await notifyPostPublished(tx, post.id);
    }
    return { ...post, duplicate: false };
  });
}

/** A post as its editor sees it, whatever its status (callers check who may see it). */
export async function getPostForEditing(postId: number) {
  const [post] = await getDb()
    .select({
      id: posts.id,
      authorId: posts.authorId,
      kind: posts.kind,
      title: posts.title,
      slug: posts.slug,
      bodyMd: posts.bodyMd,
      status: posts.status,
      tags: postTagNames,
    })
    .from(posts)
    .where(eq(posts.id, postId));
  return post;
}

async function logEditByModerator(
  tx: Transaction,
  editorId: number,
  authorId: number,
  target: { postId?: number; commentId?: number },
  action: "edit" | "remove",
) {
  if (editorId === authorId) return;
  await tx.insert(moderationActions).values({ actorId: editorId, action, targetUserId: authorId, ...target });
}

/** Saves an edit, keeping the previous text as a revision; an edit by someone else is logged. */
export async function updatePost(
  postId: number,
  editorId: number,
  changes: {
    kind: PostKind;
    title: string;
    bodyMd: string;
    tags: string[];
    booklist?: BooklistRow[];
    story?: StoryInput | null;
  },
) {
  await getDb().transaction(async (tx) => {
    const [current] = await tx
      .select({ authorId: posts.authorId, title: posts.title, bodyMd: posts.bodyMd, status: posts.status })
      .from(posts)
      .where(eq(posts.id, postId))
      .for("no key update");
    if (!current) throw new Error(`No post ${postId}.`);
    await tx.insert(revisions).values({ postId, editorId, title: current.title, bodyMd: current.bodyMd });
    await tx
      .update(posts)
      .set({
        kind: changes.kind,
        title: changes.title,
        slug: slugify(changes.title),
        bodyMd: changes.bodyMd,
        bodyHtml: renderMarkdown(changes.bodyMd),
        editedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(posts.id, postId));
    const published = current.status === "published";
    await detachTags(tx, postId, published);
    await attachTags(tx, postId, changes.tags, published);
    if (changes.booklist) await replacePostBooklist(tx, postId, changes.booklist);
    // A post that is no longer a story loses its details; a story sent without them keeps its own.
    await saveStoryDetails(tx, postId, changes.kind === "story" ? changes.story : null);
    await notifyMentionsAddedByEdit(tx, {
      postId,
      commentId: null,
      before: current.bodyMd,
      after: changes.bodyMd,
    });
    await logEditByModerator(tx, editorId, current.authorId, { postId }, "edit");
  });
}

export type DeletePostResult = { ok: true } | { ok: false; reason: "has-replies-from-others" };

/**
 * Removes a post. Its author may do so only while nobody else has replied
 * (their replies would vanish with it); moderators always may, and are logged.
 */
export async function deletePost(
  postId: number,
  actor: { id: number; isModerator: boolean },
): Promise<DeletePostResult> {
  return getDb().transaction(async (tx) => {
    const [current] = await tx
      .select({ authorId: posts.authorId, status: posts.status })
      .from(posts)
      .where(eq(posts.id, postId))
      .for("no key update");
    if (!current) throw new Error(`No post ${postId}.`);
    if (!actor.isModerator) {
      const [replyFromOthers] = await tx
        .select({ id: comments.id })
        .from(comments)
        .where(
          and(
            eq(comments.postId, postId),
            ne(comments.authorId, current.authorId),
            inArray(comments.status, ["approved", "pending"]),
          ),
        )
        .limit(1);
      if (replyFromOthers) return { ok: false, reason: "has-replies-from-others" };
    }
    await tx
      .update(posts)
      .set({ status: "removed", updatedAt: sql`now()` })
      .where(eq(posts.id, postId));
    if (current.status === "published") {
      await tx
        .update(users)
        .set({ approvedCount: sql`greatest(${users.approvedCount} - 1, 0)` })
        .where(eq(users.id, current.authorId));
      const tagIds = await tx
        .select({ tagId: postTags.tagId })
        .from(postTags)
        .where(eq(postTags.postId, postId));
      if (tagIds.length > 0) {
        await tx
          .update(tags)
          .set({ postCount: sql`greatest(${tags.postCount} - 1, 0)` })
          .where(
            inArray(
              tags.id,
              tagIds.map((row) => row.tagId),
            ),
          );
      }
    }
    await logEditByModerator(tx, actor.id, current.authorId, { postId }, "remove");
    return { ok: true };
  });
}

/** The statements of posting a comment, built once (decision 032). */
const commentQueries = {
  lockThread: builtOnce((db) =>
    db
      .select({
        status: posts.status,
        locked: posts.locked,
        slug: posts.slug,
        title: posts.title,
        authorId: posts.authorId,
      })
      .from(posts)
      .where(eq(posts.id, sql.placeholder("postId")))
      .for("no key update")
      .prepare("comment_lock_thread"),
  ),
  sameSubmission: builtOnce((db) =>
    db
      .select({ id: comments.id, status: comments.status })
      .from(comments)
      .where(
        and(
          eq(comments.authorId, sql.placeholder("authorId")),
          eq(comments.submissionKey, sql.placeholder("submissionKey")),
        ),
      )
      .prepare("comment_same_submission"),
  ),
  parent: builtOnce((db) =>
    db
      .select({
        postId: comments.postId,
        authorId: comments.authorId,
        depth: comments.depth,
        status: comments.status,
        deletedAt: comments.deletedAt,
      })
      .from(comments)
      .where(eq(comments.id, sql.placeholder("parentId")))
      .prepare("comment_parent"),
  ),
  /**
   * The comment and everything it moves, in one statement: its notifications
   * (commentRecipients), which name it by the id only its insert knows; the
   * thread's and the author's counters, when it is published; and the
   * author's watch on the thread (an earlier "Stop watching" is kept).
   */
  insert: builtOnce((db) => {
    const postId = sql.placeholder("postId");
    const authorId = sql.placeholder("authorId");
    const published = sql`${sql.placeholder("published")}::boolean`;
    const inserted = db.$with("inserted").as(
      db
        .insert(comments)
        .values({
          postId,
          parentId: sql.placeholder("parentId"),
          depth: sql.placeholder("depth"),
          authorId,
          bodyMd: sql.placeholder("bodyMd"),
          bodyHtml: sql.placeholder("bodyHtml"),
          status: sql.placeholder("status"),
          heldReason: sql.placeholder("heldReason"),
          submissionKey: sql.placeholder("submissionKey"),
        })
        .returning({ id: comments.id, status: comments.status }),
    );
    const notified = db.$with("notified", { userId: notifications.userId }).as(sql`
      insert into ${notifications} (user_id, kind, message, actor_id, post_id, comment_id)
      select recipient.user_id, recipient.kind, recipient.message, ${authorId}::integer, ${postId}::integer, ${inserted.id}
      from ${inserted}, unnest(
        ${sql.placeholder("recipientIds")}::integer[],
        ${sql.placeholder("recipientKinds")}::${sql.raw(notificationKind.enumName)}[],
        ${sql.placeholder("recipientMessages")}::text[]
      ) as recipient(user_id, kind, message)
      returning user_id
    `);
    const countedOnThread = db.$with("counted_on_thread").as(
      db
        .update(posts)
        .set({ commentCount: sql`${posts.commentCount} + 1`, lastActivityAt: sql`now()` })
        .where(and(eq(posts.id, postId), published))
        .returning({ id: posts.id }),
    );
    const countedForAuthor = db.$with("counted_for_author").as(
      db
        .update(users)
        .set({ approvedCount: sql`${users.approvedCount} + 1` })
        .where(and(eq(users.id, authorId), published))
        .returning({ id: users.id }),
    );
    const watching = db.$with("watching").as(
      db.insert(subscriptions).values({ userId: authorId, postId }).onConflictDoNothing().returning({
        userId: subscriptions.userId,
      }),
    );
    return db
      .with(inserted, notified, countedOnThread, countedForAuthor, watching)
      .select({ id: inserted.id, status: inserted.status })
      .from(inserted)
      .prepare("comment_insert");
  }),
};

export type NewComment = {
  postId: number;
  authorId: number;
  parentId?: number;
  bodyMd: string;
  submissionKey?: string;
  /** Holds the comment whatever the author's trust, with this note for moderators (the privacy check). */
  holdReason?: string;
  /** The comment's booklist, in order. */
  booklist?: BooklistRow[];
  /** Counts the attempt against this limit first, in the same transaction; over it, nothing is written. */
  rateLimit?: BucketLimit;
};

export type CreateCommentResult =
  | {
      ok: true;
      comment: { id: number; status: string };
      duplicate: boolean;
      thread: { id: number; slug: string };
    }
  | { ok: false; reason: "rate-limited"; bucket: Bucket }
  | { ok: false; reason: "post-unavailable" | "locked" | "parent-elsewhere" | "parent-unavailable" };

/**
 * Adds a comment or a reply. The thread row is locked for the transaction,
 * so counters stay exact under concurrent replies; the same submission key
 * twice gives back the first comment.
 */
export async function createComment(input: NewComment): Promise<CreateCommentResult> {
  // Cooked before the thread is locked, so concurrent replies wait on the lock only for SQL.
  const bodyHtml = renderMarkdown(input.bodyMd);
  return getDb().transaction(async (tx) => {
    // Sent together and answered together (one round trip): each guard below
    // reads from these, in the order the guards have always run.
    const [bucket, [post], [existing], author, policy, [parent], audience] = await Promise.all([
      input.rateLimit && hitBucket(input.rateLimit.key, input.rateLimit.windowSeconds, tx),
      commentQueries.lockThread(tx, { postId: input.postId }),
      input.submissionKey
        ? commentQueries.sameSubmission(tx, { authorId: input.authorId, submissionKey: input.submissionKey })
        : [],
      loadAuthor(tx, input.authorId),
      getModerationPolicy(tx),
      input.parentId !== undefined ? commentQueries.parent(tx, { parentId: input.parentId }) : [],
      // Whom publishing it would notify, asked now so the insert can write their notifications.
      !input.holdReason && commentAudience(tx, { postId: input.postId, bodyMd: input.bodyMd }),
    ]);
    // Over the limit, the attempt still counts (the hit is kept) and nothing else is written.
    if (bucket && bucket.hits > input.rateLimit!.limit) return { ok: false, reason: "rate-limited", bucket };
    if (!post || post.status !== "published") return { ok: false, reason: "post-unavailable" };
    const thread = { id: input.postId, slug: post.slug };
    if (existing) return { ok: true, comment: existing, duplicate: true, thread };
    if (post.locked) return { ok: false, reason: "locked" };

    let depth = 1;
    if (input.parentId !== undefined) {
      if (!parent || parent.postId !== input.postId) return { ok: false, reason: "parent-elsewhere" };
      if (parent.status !== "approved" || parent.deletedAt)
        return { ok: false, reason: "parent-unavailable" };
      depth = parent.depth + 1;
    }

    const status = input.holdReason
      ? "pending"
      : initialStatus(author, { kind: "comment", text: input.bodyMd }, policy);
    const approved = status === "approved";
    // A held comment notifies nobody until a moderator approves it (notifyCommentPublished).
    const recipients =
      approved && audience
        ? commentRecipients(
            {
              postId: input.postId,
              parentId: input.parentId ?? null,
              authorId: input.authorId,
              authorName: author.displayName,
              postTitle: post.title,
              postAuthorId: post.authorId,
            },
            { ...audience, parentAuthorId: parent?.authorId ?? null },
          )
        : [];
    const inserting = commentQueries.insert(tx, {
      postId: input.postId,
      parentId: input.parentId ?? null,
      depth,
      authorId: input.authorId,
      bodyMd: input.bodyMd,
      bodyHtml,
      status,
      heldReason: input.holdReason ?? null,
      submissionKey: input.submissionKey ?? null,
      published: approved,
      recipientIds: recipients.map((recipient) => recipient.userId),
      recipientKinds: recipients.map((recipient) => recipient.kind),
      recipientMessages: recipients.map((recipient) => recipient.message),
    });
    const booklist = input.booklist ?? [];
    // Without a booklist to add, the insert is the transaction's last statement: its COMMIT goes with it.
    if (booklist.length === 0) commitWithLastStatements(tx);
    const [comment] = await inserting;
    if (booklist.length > 0) await insertCommentBooklist(tx, comment!.id, booklist);
    return { ok: true, comment: comment!, duplicate: false, thread };
  });
}

/** A comment as its editor sees it, with the thread it belongs to. */
export async function getCommentForEditing(commentId: number) {
  const [comment] = await getDb()
    .select({
      id: comments.id,
      postId: comments.postId,
      authorId: comments.authorId,
      bodyMd: comments.bodyMd,
      status: comments.status,
      deletedAt: comments.deletedAt,
      postTitle: posts.title,
      postSlug: posts.slug,
      postStatus: posts.status,
    })
    .from(comments)
    .innerJoin(posts, eq(posts.id, comments.postId))
    .where(eq(comments.id, commentId));
  return comment;
}

/**
 * Saves an edit. The comment is read again under the row lock: an edit that
 * lost a race with a delete changes nothing and answers false.
 */
export async function updateComment(
  commentId: number,
  editorId: number,
  bodyMd: string,
  /** Replaces the comment's booklist when given. */
  booklist?: BooklistRow[],
): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const [current] = await tx
      .select({
        authorId: comments.authorId,
        postId: comments.postId,
        bodyMd: comments.bodyMd,
        deletedAt: comments.deletedAt,
        status: comments.status,
      })
      .from(comments)
      .where(eq(comments.id, commentId))
      .for("no key update");
    if (!current || current.deletedAt || current.status === "removed") return false;
    await tx.insert(revisions).values({ commentId, editorId, bodyMd: current.bodyMd });
    await tx
      .update(comments)
      .set({ bodyMd, bodyHtml: renderMarkdown(bodyMd), editedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(comments.id, commentId));
    if (booklist) await replaceCommentBooklist(tx, commentId, booklist);
    await notifyMentionsAddedByEdit(tx, {
      postId: current.postId,
      commentId,
      before: current.bodyMd,
      after: bodyMd,
    });
    await logEditByModerator(tx, editorId, current.authorId, { commentId }, "edit");
    return true;
  });
}

/**
 * Deletes a comment: its text goes (kept as a revision for moderators), and
 * replies to it stay, under a "[deleted]" placeholder.
 */
export async function deleteComment(commentId: number, actorId: number) {
  await getDb().transaction(async (tx) => {
    const [current] = await tx
      .select({
        authorId: comments.authorId,
        bodyMd: comments.bodyMd,
        status: comments.status,
        postId: comments.postId,
      })
      .from(comments)
      .where(eq(comments.id, commentId))
      .for("no key update");
    // Already deleted (a second click, or a race): nothing more to do.
    if (!current || current.status === "removed") return;
    await tx.insert(revisions).values({ commentId, editorId: actorId, bodyMd: current.bodyMd });
    await tx
      .update(comments)
      .set({ status: "removed", deletedAt: sql`now()`, bodyMd: "", bodyHtml: "", updatedAt: sql`now()` })
      .where(eq(comments.id, commentId));
    if (current.status === "approved") {
      await tx
        .update(posts)
        .set({ commentCount: sql`greatest(${posts.commentCount} - 1, 0)` })
        .where(eq(posts.id, current.postId));
      await tx
        .update(users)
        .set({ approvedCount: sql`greatest(${users.approvedCount} - 1, 0)` })
        .where(eq(users.id, current.authorId));
    }
    await logEditByModerator(tx, actorId, current.authorId, { commentId }, "remove");
  });
}
