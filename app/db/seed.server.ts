import { inArray, sql } from "drizzle-orm";
import {
  answerSummaries,
  answerSummaryCredits,
  comments,
  notifications,
  postTags,
  posts,
  subscriptions,
  tags,
  users,
} from "~/db/schema";
import { getDb, type Transaction } from "~/lib/db.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { hashPassword } from "~/lib/password.server";
import { slugify } from "~/lib/text";
import { replacePostBooklist } from "~/models/booklists.server";
import { notifyCommentPublished } from "~/models/notifications.server";
import { insertDemoStoryDetails } from "~/models/stories.server";
import { DEMO_PASSWORD, demoMembers, demoPosts, demoTags } from "./demo-content";
import type { DemoComment } from "./demo-content.types";

export type DemoAccount = { email: string; role: string; displayName: string };

const hoursAgo = (now: number, hours: number) => new Date(now - hours * 3_600_000);

/**
 * Seeds the demo forum when the database has no members yet. Runs in one
 * transaction under an advisory lock, so two processes starting together, or
 * a restart, never seed twice. Returns whether it seeded.
 */
export async function seedDemoContentIfEmpty(): Promise<boolean> {
  // Hashing is slow on purpose; do it before taking the lock.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('crosswalk-demo-seed'))`);
    const [existing] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
    if (existing && existing.count > 0) return false;
    await insertDemoContent(tx, passwordHash, Date.now());
    return true;
  });
}

async function insertDemoContent(tx: Transaction, passwordHash: string, now: number) {
  const insertedUsers = await tx
    .insert(users)
    .values(
      demoMembers.map((member) => ({
        ...member,
        passwordHash,
        createdAt: hoursAgo(now, 24 * 60),
        updatedAt: hoursAgo(now, 24 * 60),
      })),
    )
    .returning({ id: users.id, username: users.username });
  const userIds = new Map(insertedUsers.map((user) => [user.username, user.id]));
  const userId = (username: string) => {
    const id = userIds.get(username);
    if (id === undefined) throw new Error(`Demo content names an unknown member: ${username}`);
    return id;
  };

  const insertedTags = await tx
    .insert(tags)
    .values(demoTags.map((tag) => ({ ...tag, createdAt: hoursAgo(now, 24 * 60) })))
    .returning({ id: tags.id, name: tags.name });
  const tagIds = new Map(insertedTags.map((tag) => [tag.name, tag.id]));

  const approvedContributions = new Map<number, number>();
  const countApproved = (authorId: number) =>
    approvedContributions.set(authorId, (approvedContributions.get(authorId) ?? 0) + 1);

  for (const demoPost of demoPosts) {
    const authorId = userId(demoPost.author);
    const createdAt = hoursAgo(now, demoPost.hoursAgo);
    const [post] = await tx
      .insert(posts)
      .values({
        authorId,
        kind: demoPost.kind,
        title: demoPost.title,
        slug: slugify(demoPost.title),
        bodyMd: demoPost.body,
        bodyHtml: renderMarkdown(demoPost.body),
        createdAt,
        updatedAt: createdAt,
        lastActivityAt: createdAt,
      })
      .returning({ id: posts.id });
    if (!post) throw new Error("Inserting a demo post returned nothing.");
    countApproved(authorId);

    const postTagRows = demoPost.tags.map((name) => {
      const tagId = tagIds.get(name);
      if (tagId === undefined) throw new Error(`Demo post "${demoPost.title}" names an unknown tag: ${name}`);
      return { postId: post.id, tagId };
    });
    if (postTagRows.length > 0) await tx.insert(postTags).values(postTagRows);
    if (demoPost.booklist) {
      await replacePostBooklist(
        tx,
        post.id,
        demoPost.booklist.map((book) => ({
          title: book.title,
          author: book.author,
          isbn: book.isbn ?? null,
          gradeBand: book.gradeBand ?? null,
          note: book.note ?? "",
        })),
      );
    }

    if (demoPost.story) await insertDemoStoryDetails(tx, post.id, demoPost.story);

    const watchers = new Set([authorId]);
    let approvedCount = 0;
    let lastActivityAt = createdAt;
    // A summary names the replies it credits by author and age: "rosa-delgado@255".
    const commentIds = new Map<string, number>();

    const insertComment = async (comment: DemoComment, parentId: number | null, depth: number) => {
      const commentAuthorId = userId(comment.author);
      const commentCreatedAt = hoursAgo(now, comment.hoursAgo);
      const status = comment.pending ? "pending" : "approved";
      const [inserted] = await tx
        .insert(comments)
        .values({
          postId: post.id,
          parentId,
          depth,
          authorId: commentAuthorId,
          bodyMd: comment.body,
          bodyHtml: renderMarkdown(comment.body),
          status,
          createdAt: commentCreatedAt,
          updatedAt: commentCreatedAt,
        })
        .returning({ id: comments.id });
      if (!inserted) throw new Error("Inserting a demo comment returned nothing.");
      commentIds.set(`${comment.author}@${comment.hoursAgo}`, inserted.id);
      if (status === "approved") {
        approvedCount++;
        countApproved(commentAuthorId);
        watchers.add(commentAuthorId);
        if (commentCreatedAt > lastActivityAt) lastActivityAt = commentCreatedAt;
        await notifyCommentPublished(tx, inserted.id);
      }
      for (const reply of comment.replies ?? []) await insertComment(reply, inserted.id, depth + 1);
    };
    for (const comment of demoPost.comments) await insertComment(comment, null, 1);
    if (demoPost.summary) {
      const summaryAt = hoursAgo(now, demoPost.summary.hoursAgo);
      await tx.insert(answerSummaries).values({
        postId: post.id,
        authorId,
        bodyMd: demoPost.summary.body,
        bodyHtml: renderMarkdown(demoPost.summary.body),
        createdAt: summaryAt,
        updatedAt: summaryAt,
      });
      const credits = demoPost.summary.credits.map(({ author, hoursAgo: age }) => {
        const commentId = commentIds.get(`${author}@${age}`);
        if (commentId === undefined) {
          throw new Error(`The summary of "${demoPost.title}" credits an unknown reply: ${author}@${age}`);
        }
        return { postId: post.id, commentId };
      });
      if (credits.length > 0) await tx.insert(answerSummaryCredits).values(credits);
    }

    await tx
      .update(posts)
      .set({ commentCount: approvedCount, lastActivityAt })
      .where(sql`${posts.id} = ${post.id}`);
    await tx
      .insert(subscriptions)
      .values([...watchers].map((watcher) => ({ userId: watcher, postId: post.id })));
  }

  // The demo's notices are dated like the replies they tell of, those older
  // than three days already read, and none of them mailed to the demo addresses.
  await tx.execute(sql`
    update ${notifications} set created_at = ${comments.createdAt}, emailed_at = now(),
      read_at = case when ${comments.createdAt} < now() - interval '3 days' then now() end
    from ${comments} where ${comments.id} = ${notifications.commentId}
  `);
  await tx.execute(
    sql`update ${tags} set post_count = (select count(*) from ${postTags} where ${postTags.tagId} = ${tags.id})`,
  );
  for (const [authorId, count] of approvedContributions) {
    await tx
      .update(users)
      .set({ approvedCount: count })
      .where(sql`${users.id} = ${authorId}`);
  }
}

/** The demo log-ins that exist in this database, for the start-up banner. */
export async function listDemoAccounts(): Promise<DemoAccount[]> {
  const emails = demoMembers.map((member) => member.email.toLowerCase());
  const rows = await getDb()
    .select({ email: users.email, role: users.role, displayName: users.displayName })
    .from(users)
    .where(inArray(sql`lower(${users.email})`, emails));
  const roleOrder = { admin: 0, moderator: 1, member: 2 } as const;
  return rows.sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || a.email.localeCompare(b.email));
}

export { DEMO_PASSWORD };
