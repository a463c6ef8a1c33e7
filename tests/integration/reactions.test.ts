import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  comments,
  moderationActions,
  notifications,
  posts,
  users,
  votes,
  type Comment,
  type User,
  type UserRole,
} from "~/db/schema";
import { countQueries, getDb } from "~/lib/db.server";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { toggleHelpful } from "~/models/reactions.server";
import { saveModerationPolicy } from "~/models/settings.server";
import { action as threadAction, loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { joinAs } from "../support/accounts";
import { createComment, createPost } from "../support/factories";
import { callLoader, submitForm } from "../support/requests";

beforeAll(async () => {
  await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
});

type Account = { cookie: string; user: User };

async function account(role: UserRole = "member"): Promise<Account> {
  const joined = await joinAs();
  const [user] = await getDb()
    .update(users)
    .set({ role })
    .where(eq(users.username, joined.fields.username))
    .returning();
  return { cookie: joined.cookie, user: user! };
}

function send(cookie: string | undefined, postId: number, fields: Record<string, string>) {
  return submitForm(threadAction, `/posts/${postId}`, fields, { cookie, params: { postId: String(postId) } });
}

const helpful = (cookie: string | undefined, postId: number, kind: string, id: number, state?: boolean) =>
  send(cookie, postId, {
    intent: "helpful",
    kind,
    id: String(id),
    ...(state === undefined ? {} : { helpful: String(state) }),
  });

const accept = (cookie: string | undefined, postId: number, commentId: number) =>
  send(cookie, postId, { intent: "accept", commentId: String(commentId) });

const unaccept = (cookie: string | undefined, postId: number) => send(cookie, postId, { intent: "unaccept" });

function openThread(postId: number, cookie?: string) {
  return callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) }, { cookie });
}

async function commentCount(commentId: number) {
  const [row] = await getDb()
    .select({ count: comments.helpfulCount })
    .from(comments)
    .where(eq(comments.id, commentId));
  const marks = await getDb().select().from(votes).where(eq(votes.commentId, commentId));
  // The counter always agrees with the rows.
  expect(row!.count).toBe(marks.length);
  return row!.count;
}

async function postRow(postId: number) {
  const [row] = await getDb().select().from(posts).where(eq(posts.id, postId));
  return row!;
}

describe("Helpful", () => {
  it("lets a member mark a comment once, toggle it off and on, with an exact count", async () => {
    const asker = await account();
    const helper = await account();
    const reader = await account();
    const post = await createPost(asker.user, { kind: "question" });
    const answer = await createComment(post, helper.user);

    const on = await helpful(reader.cookie, post.id, "comment", answer.id);
    expect(on.status).toBe(302);
    expect(on.location).toBe(`/posts/${post.id}/${post.slug}?at=${answer.id}#comment-${answer.id}`);
    expect(await commentCount(answer.id)).toBe(1);

    // The same "on" sent again (a double click) still counts once.
    expect((await helpful(reader.cookie, post.id, "comment", answer.id, true)).status).toBe(302);
    expect(await commentCount(answer.id)).toBe(1);

    expect((await helpful(asker.cookie, post.id, "comment", answer.id)).status).toBe(302);
    expect(await commentCount(answer.id)).toBe(2);

    // Toggling takes the mark back; asking for "off" twice never goes below the rows.
    expect((await helpful(reader.cookie, post.id, "comment", answer.id)).status).toBe(302);
    expect(await commentCount(answer.id)).toBe(1);
    expect((await helpful(reader.cookie, post.id, "comment", answer.id, false)).status).toBe(302);
    expect(await commentCount(answer.id)).toBe(1);
    expect((await helpful(asker.cookie, post.id, "comment", answer.id, false)).status).toBe(302);
    expect(await commentCount(answer.id)).toBe(0);
  });

  it("marks posts too", async () => {
    const author = await account();
    const reader = await account();
    const post = await createPost(author.user);
    const answer = await helpful(reader.cookie, post.id, "post", post.id);
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/posts/${post.id}/${post.slug}#post-title`);
    expect((await postRow(post.id)).helpfulCount).toBe(1);
    expect((await openThread(post.id, reader.cookie)).viewerVotes).toEqual({ post: true, commentIds: [] });
    await helpful(reader.cookie, post.id, "post", post.id);
    expect((await postRow(post.id)).helpfulCount).toBe(0);
  });

  it("counts concurrent marks exactly: two members at once count 2, one member's racing 'on' counts 1", async () => {
    const author = await account();
    const post = await createPost(author.user);
    const answer = await createComment(post, author.user);
    const [first, second] = await Promise.all([account(), account()]);
    const results = await Promise.all([
      toggleHelpful({ userId: first!.user.id, target: { kind: "comment", id: answer.id }, on: true }),
      toggleHelpful({ userId: second!.user.id, target: { kind: "comment", id: answer.id }, on: true }),
      toggleHelpful({ userId: first!.user.id, target: { kind: "comment", id: answer.id }, on: true }),
    ]);
    expect(results.every((result) => result.ok && result.helpful)).toBe(true);
    expect(await commentCount(answer.id)).toBe(2);

    const [postFirst, postSecond] = await Promise.all([
      toggleHelpful({ userId: first!.user.id, target: { kind: "post", id: post.id } }),
      toggleHelpful({ userId: second!.user.id, target: { kind: "post", id: post.id } }),
    ]);
    expect(postFirst).toMatchObject({ ok: true, helpful: true });
    expect(postSecond).toMatchObject({ ok: true, helpful: true });
    expect((await postRow(post.id)).helpfulCount).toBe(2);
  });

  it("refuses one's own post or comment with 403", async () => {
    const author = await account();
    const post = await createPost(author.user);
    const own = await createComment(post, author.user);
    const onComment = await helpful(author.cookie, post.id, "comment", own.id);
    expect(onComment.status).toBe(403);
    expect(onComment.text).toBe("You can't mark your own comment as helpful.");
    const onPost = await helpful(author.cookie, post.id, "post", post.id);
    expect(onPost.status).toBe(403);
    expect(onPost.text).toBe("You can't mark your own post as helpful.");
    expect(await commentCount(own.id)).toBe(0);
    expect((await postRow(post.id)).helpfulCount).toBe(0);
  });

  it("answers 404 for comments that are held, removed, deleted or in another thread", async () => {
    const author = await account();
    const reader = await account();
    const post = await createPost(author.user);
    const other = await createPost(author.user);
    const elsewhere = await createComment(other, author.user);
    const held = await createComment(post, author.user, { status: "pending" });
    const removed = await createComment(post, author.user, { status: "removed" });
    const deleted = await createComment(post, author.user);
    await getDb().update(comments).set({ deletedAt: new Date() }).where(eq(comments.id, deleted.id));
    for (const target of [elsewhere, held, removed, deleted]) {
      const answer = await helpful(reader.cookie, post.id, "comment", target.id);
      expect(answer.status, `comment ${target.id}`).toBe(404);
    }
    expect((await helpful(reader.cookie, post.id, "post", other.id)).status).toBe(404);
    expect((await helpful(reader.cookie, post.id, "comment", 999_999_999)).status).toBe(404);
    expect((await helpful(reader.cookie, post.id, "sideways", 1)).status).toBe(400);
  });

  it("sends a visitor to log in", async () => {
    const author = await account();
    const post = await createPost(author.user);
    const answer = await helpful(undefined, post.id, "post", post.id);
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/login?${new URLSearchParams({ redirectTo: `/posts/${post.id}` })}`);
  });
});

async function notificationsOf(userId: number) {
  return getDb()
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, "accepted_answer")))
    .orderBy(desc(notifications.id));
}

describe("accepted answers", () => {
  async function question() {
    const asker = await account();
    const first = await account();
    const second = await account();
    const post = await createPost(asker.user, { kind: "question" });
    const answerA = await createComment(post, first.user, { body: "Call the **principal**." });
    const answerB = await createComment(post, second.user);
    return { asker, first, second, post, answerA, answerB };
  }

  it("lets the asker accept, change and remove the accepted answer, and tells the answer's author", async () => {
    const { asker, first, second, post, answerA, answerB } = await question();

    const accepted = await accept(asker.cookie, post.id, answerA.id);
    expect(accepted.status).toBe(302);
    expect(accepted.location).toBe(`/posts/${post.id}/${post.slug}?at=${answerA.id}#comment-${answerA.id}`);
    expect((await postRow(post.id)).acceptedCommentId).toBe(answerA.id);
    const thread = await openThread(post.id);
    expect(thread.post.acceptedCommentId).toBe(answerA.id);
    expect(thread.acceptedAnswer).toMatchObject({
      id: answerA.id,
      authorDisplayName: first.user.displayName,
      bodyHtml: "<p>Call the <strong>principal</strong>.</p>",
    });
    const [notice] = await notificationsOf(first.user.id);
    expect(notice).toMatchObject({ postId: post.id, commentId: answerA.id, actorId: asker.user.id });

    expect((await accept(asker.cookie, post.id, answerB.id)).status).toBe(302);
    expect((await postRow(post.id)).acceptedCommentId).toBe(answerB.id);
    expect((await openThread(post.id)).acceptedAnswer?.id).toBe(answerB.id);
    expect(await notificationsOf(second.user.id)).toHaveLength(1);

    expect((await unaccept(asker.cookie, post.id)).status).toBe(302);
    expect((await postRow(post.id)).acceptedCommentId).toBeNull();
    expect((await openThread(post.id)).acceptedAnswer).toBeNull();
    // Clearing tells nobody; the asker's own doing is not logged as moderation.
    expect(await notificationsOf(second.user.id)).toHaveLength(1);
    expect(
      await getDb().select().from(moderationActions).where(eq(moderationActions.postId, post.id)),
    ).toEqual([]);
  });

  it("refuses another member with 403", async () => {
    const { first, post, answerA } = await question();
    const answer = await accept(first.cookie, post.id, answerA.id);
    expect(answer.status).toBe(403);
    expect((await unaccept(first.cookie, post.id)).status).toBe(403);
    expect((await postRow(post.id)).acceptedCommentId).toBeNull();
  });

  it("lets a moderator accept, logged as an edit of the post", async () => {
    const { asker, post, answerA } = await question();
    const moderator = await account("moderator");
    expect((await accept(moderator.cookie, post.id, answerA.id)).status).toBe(302);
    expect((await postRow(post.id)).acceptedCommentId).toBe(answerA.id);
    const [log] = await getDb().select().from(moderationActions).where(eq(moderationActions.postId, post.id));
    expect(log).toMatchObject({ action: "edit", actorId: moderator.user.id, targetUserId: asker.user.id });
  });

  it("refuses a post that is not a question with 403", async () => {
    const author = await account();
    const helper = await account();
    const post = await createPost(author.user, { kind: "discussion" });
    const reply = await createComment(post, helper.user);
    expect((await accept(author.cookie, post.id, reply.id)).status).toBe(403);
    expect((await postRow(post.id)).acceptedCommentId).toBeNull();
  });

  it("answers 404 for a comment of another thread, or one held or deleted", async () => {
    const { asker, post } = await question();
    const other = await createPost(asker.user, { kind: "question" });
    const elsewhere = await createComment(other, asker.user);
    const held: Comment = await createComment(post, asker.user, { status: "pending" });
    for (const target of [elsewhere, held]) {
      expect((await accept(asker.cookie, post.id, target.id)).status).toBe(404);
    }
    expect((await postRow(post.id)).acceptedCommentId).toBeNull();
  });

  it("sends a visitor to log in", async () => {
    const { post, answerA } = await question();
    const answer = await accept(undefined, post.id, answerA.id);
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^\/login\?/);
  });
});

describe("the thread loader", () => {
  it("exposes the viewer's own marks, and none to a visitor", async () => {
    const author = await account();
    const reader = await account();
    const post = await createPost(author.user);
    const marked = await createComment(post, author.user);
    await createComment(post, author.user);
    const other = await createPost(author.user);
    const elsewhere = await createComment(other, author.user);
    await helpful(reader.cookie, post.id, "comment", marked.id);
    await helpful(reader.cookie, other.id, "comment", elsewhere.id);
    expect((await openThread(post.id, reader.cookie)).viewerVotes).toEqual({
      post: false,
      commentIds: [marked.id],
    });
    expect((await openThread(post.id)).viewerVotes).toEqual({ post: false, commentIds: [] });
  });

  it("costs the same number of SQL queries for 10 comments as for 500, signed in", async () => {
    const author = await account();
    const reader = await account();
    const measure = async (commentCount: number) => {
      const post = await createPost(author.user, { kind: "question" });
      let last: Comment | undefined;
      for (let index = 0; index < commentCount; index++) {
        last = await createComment(post, author.user, { parent: index % 3 === 0 ? undefined : last });
        if (index % 4 === 0)
          await toggleHelpful({ userId: reader.user.id, target: { kind: "comment", id: last.id } });
      }
      await getDb().update(posts).set({ acceptedCommentId: last!.id }).where(eq(posts.id, post.id));
      // Once first, so a session's "last seen" refresh does not land in one measurement only.
      await openThread(post.id, reader.cookie);
      const signedIn = await countQueries(() => openThread(post.id, reader.cookie));
      // The marks on the first page (20 conversations of three), and the accepted answer from the last.
      expect(signedIn.result.viewerVotes.commentIds).toHaveLength(Math.ceil(Math.min(commentCount, 60) / 4));
      expect(signedIn.result.acceptedAnswer?.id).toBe(last!.id);
      const visitor = await countQueries(() => openThread(post.id));
      return { signedIn: signedIn.queries, visitor: visitor.queries };
    };
    const small = await measure(10);
    const large = await measure(500);
    expect(small).toEqual(large);
    // The post, its comments and (a question's) summary of answers; a thread's booklists only when it has one.
    expect(small.visitor).toBeLessThanOrEqual(3);
    // The session, the viewer's marks, and whether they watch the thread: one query each.
    expect(small.signedIn).toBeLessThanOrEqual(small.visitor + 3);
  });
});
