import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  comments,
  flags,
  moderationActions,
  notifications,
  posts,
  tags,
  users,
  type UserRole,
} from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { saveModerationPolicy } from "~/models/settings.server";
import { loader as homeLoader } from "~/routes/_index";
import { action as flagCommentAction, loader as flagCommentLoader } from "~/routes/comments.$commentId.flag";
import { action as queueAction, loader as queueLoader } from "~/routes/mod._index";
import { action as threadAction, loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { action as flagPostAction, loader as flagPostLoader } from "~/routes/posts.$postId.flag";
import { action as newPostAction } from "~/routes/posts.new";
import { joinAs } from "../support/accounts";
import { createComment, createMember, createPost } from "../support/factories";
import { callLoader, submitForm, thrownResponse } from "../support/requests";

// Every member here is trusted from the start, so what they write is public at
// once and can be flagged (tests/integration/moderation*.test.ts cover holding).
beforeAll(async () => {
  await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
});

let keySequence = 0;
const submissionKey = () => `flags-key-${process.pid}-${++keySequence}-abcdefgh`;

type Account = Awaited<ReturnType<typeof joinAs>> & { id: number };

async function account(role: UserRole = "member"): Promise<Account> {
  const joined = await joinAs();
  const [row] = await getDb()
    .update(users)
    .set({ role })
    .where(eq(users.username, joined.fields.username))
    .returning({ id: users.id });
  return { ...joined, id: row!.id };
}

async function publish(cookie: string, title = "Booklists for the fourth-grade units", tagList = "") {
  const answer = await submitForm(
    newPostAction,
    "/posts/new",
    { intent: "publish", title, kind: "idea", body: "We split the units.", tags: tagList },
    { cookie },
  );
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  return Number(/^\/posts\/(\d+)\//.exec(answer.location ?? "")?.[1]);
}

async function reply(cookie: string, postId: number, body = "Ours went well with the fifth grade.") {
  const answer = await submitForm(
    threadAction,
    `/posts/${postId}`,
    { body, submissionKey: submissionKey() },
    { cookie, params: { postId: String(postId) } },
  );
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  return Number(/#comment-(\d+)$/.exec(answer.location ?? "")?.[1]);
}

/** A thread by one member with a comment by another. */
async function commentedThread() {
  const postAuthor = await account();
  const postId = await publish(postAuthor.cookie);
  const author = await account();
  const commentId = await reply(author.cookie, postId, "Buy the *whole* series at once.");
  return { postAuthor, postId, author, commentId };
}

type FlagAnswer = {
  errors: Record<string, string[] | undefined>;
  values: Record<string, string>;
  formError: string | null;
};

function flagComment(cookie: string | undefined, commentId: number, fields = { reason: "spam", note: "" }) {
  return submitForm<FlagAnswer>(flagCommentAction, `/comments/${commentId}/flag`, fields, {
    cookie,
    params: { commentId: String(commentId) },
  });
}

function flagPost(cookie: string, postId: number, fields = { reason: "off_topic", note: "" }) {
  return submitForm<FlagAnswer>(flagPostAction, `/posts/${postId}/flag`, fields, {
    cookie,
    params: { postId: String(postId) },
  });
}

async function flagBy(count: number, commentId: number) {
  for (let index = 0; index < count; index++) {
    const flagger = await account();
    const answer = await flagComment(flagger.cookie, commentId, { reason: "inappropriate", note: "Rude." });
    expect(answer.status, answer.text ?? "").toBe(302);
  }
}

type QueueAnswer = { outcome: "done" | "conflict" | "refused"; message?: string };

function resolve(cookie: string, intent: "flag-keep" | "flag-remove", kind: string, id: number, reason = "") {
  return submitForm<QueueAnswer>(queueAction, "/mod", { intent, kind, id: String(id), reason }, { cookie });
}

type ThreadNode = { comment: { id: number }; replies: ThreadNode[] };
const flatten = (nodes: ThreadNode[]): number[] =>
  nodes.flatMap((node) => [node.comment.id, ...flatten(node.replies)]);

async function visibleToVisitor(postId: number) {
  const thread = await callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) });
  return { ids: flatten(thread.comments as ThreadNode[]), commentCount: thread.post.commentCount };
}

async function commentRow(id: number) {
  const [row] = await getDb().select().from(comments).where(eq(comments.id, id));
  return row!;
}

async function flagsOn(commentId: number) {
  return getDb().select().from(flags).where(eq(flags.commentId, commentId)).orderBy(flags.id);
}

async function logFor(commentId: number) {
  return getDb()
    .select()
    .from(moderationActions)
    .where(eq(moderationActions.commentId, commentId))
    .orderBy(moderationActions.id);
}

describe("flagging a comment", () => {
  it("shows the form to a member with what is being flagged and the four reasons", async () => {
    const { commentId } = await commentedThread();
    const member = await account();
    const page = await callLoader(
      flagCommentLoader,
      `/comments/${commentId}/flag`,
      { commentId: String(commentId) },
      { cookie: member.cookie },
    );
    expect(page.item.excerpt).toBe("Buy the whole series at once.");
    expect(page.alreadyFlagged).toBe(false);
    expect(page.reasons.map((reason) => reason.label)).toEqual([
      "Off-topic",
      "Inappropriate",
      "Spam",
      "Other",
    ]);
  });

  it("records one flag, sends the member back to the comment, and answers a second one with 409", async () => {
    const { postId, commentId } = await commentedThread();
    const member = await account();
    const answer = await flagComment(member.cookie, commentId, {
      reason: "off_topic",
      note: "  Not about libraries. ",
    });
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(
      new RegExp(`^/posts/${postId}/[a-z0-9-]+\\?flagged=1&at=${commentId}#comment-${commentId}$`),
    );
    const stored = await flagsOn(commentId);
    expect(stored).toMatchObject([
      { flaggerId: member.id, reason: "off_topic", note: "Not about libraries.", status: "open" },
    ]);
    expect((await commentRow(commentId)).flagCount).toBe(1);

    const again = await flagComment(member.cookie, commentId);
    expect(again.status).toBe(409);
    expect(again.text).toBe("You have already flagged this.");
    expect(await flagsOn(commentId)).toHaveLength(1);
    const page = await callLoader(
      flagCommentLoader,
      `/comments/${commentId}/flag`,
      { commentId: String(commentId) },
      { cookie: member.cookie },
    );
    expect(page.alreadyFlagged).toBe(true);
  });

  it("refuses a member's own comment with 403", async () => {
    const { author, commentId } = await commentedThread();
    const answer = await flagComment(author.cookie, commentId);
    expect(answer.status).toBe(403);
    expect(answer.text).toBe("You can't flag your own comment.");
    const page = await thrownResponse(
      callLoader(
        flagCommentLoader,
        `/comments/${commentId}/flag`,
        { commentId: String(commentId) },
        { cookie: author.cookie },
      ),
    );
    expect(page.status).toBe(403);
    expect(await flagsOn(commentId)).toHaveLength(0);
  });

  it("sends a visitor to log in and back", async () => {
    const { commentId } = await commentedThread();
    const page = await thrownResponse(
      callLoader(flagCommentLoader, `/comments/${commentId}/flag`, { commentId: String(commentId) }),
    );
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe(
      `/login?${new URLSearchParams({ redirectTo: `/comments/${commentId}/flag` })}`,
    );
    const answer = await flagComment(undefined, commentId);
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("answers a bad reason, a missing note for Other and a long note with 400, keeping what was typed", async () => {
    const { commentId } = await commentedThread();
    const member = await account();
    const badReason = await flagComment(member.cookie, commentId, { reason: "boring", note: "Zzz" });
    expect(badReason.status).toBe(400);
    expect(badReason.data?.errors.reason).toEqual(["Choose why you are flagging this."]);
    expect(badReason.data?.values).toEqual({ reason: "boring", note: "Zzz" });

    const otherWithoutNote = await flagComment(member.cookie, commentId, { reason: "other", note: "  " });
    expect(otherWithoutNote.status).toBe(400);
    expect(otherWithoutNote.data?.errors.note?.[0]).toMatch(/needed when the reason is Other/);

    const longNote = await flagComment(member.cookie, commentId, { reason: "spam", note: "x".repeat(1001) });
    expect(longNote.status).toBe(400);
    expect(longNote.data?.errors.note).toEqual(["Keep the note to 1,000 characters."]);
    expect(longNote.data?.values.note).toHaveLength(1001);
    expect(await flagsOn(commentId)).toHaveLength(0);
  });

  it("answers 404 for a comment that is gone or was never there", async () => {
    const { commentId } = await commentedThread();
    const member = await account();
    await getDb().update(comments).set({ status: "spam" }).where(eq(comments.id, commentId));
    expect((await flagComment(member.cookie, commentId)).status).toBe(404);
    expect((await flagComment(member.cookie, 2_000_000_000)).status).toBe(404);
  });

  it("answers the 21st flag in a day with 429 and Retry-After, keeping the draft; refused flags don't count", async () => {
    const writer = await createMember();
    const post = await createPost(writer);
    const ids: number[] = [];
    for (let index = 0; index < 21; index++) ids.push((await createComment(post, writer)).id);
    const member = await account();
    for (const id of ids.slice(0, 20)) {
      expect((await flagComment(member.cookie, id)).status).toBe(302);
      // Refused (already flagged): handed back, so it does not use up the allowance.
      expect((await flagComment(member.cookie, id)).status).toBe(409);
    }
    const answer = await flagComment(member.cookie, ids[20]!, { reason: "other", note: "Keep my note." });
    expect(answer.status).toBe(429);
    expect(answer.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(answer.data?.values).toEqual({ reason: "other", note: "Keep my note." });
    expect(answer.data?.formError).toMatch(/try again in \d+ minutes?/);
    expect(await flagsOn(ids[20]!)).toHaveLength(0);
  });
});

describe("three flags", () => {
  it("hide the comment from visitors, take it out of the count and log a system hide", async () => {
    const { postId, author, commentId } = await commentedThread();
    await flagBy(2, commentId);
    const before = await visibleToVisitor(postId);
    expect(before.ids).toContain(commentId);
    expect(before.commentCount).toBe(1);

    await flagBy(1, commentId);
    const after = await visibleToVisitor(postId);
    expect(after.ids).not.toContain(commentId);
    expect(after.commentCount).toBe(0);
    const row = await commentRow(commentId);
    expect(row).toMatchObject({ status: "removed", deletedAt: null, flagCount: 3 });
    expect(row.bodyMd).toBe("Buy the *whole* series at once.");
    expect(await logFor(commentId)).toMatchObject([
      { action: "hide", actorId: null, targetUserId: author.id, reason: "3 members flagged it" },
    ]);
    // Hidden: no further flags until a moderator has looked.
    const late = await account();
    expect((await flagComment(late.cookie, commentId)).status).toBe(404);
  });

  it("take a post off the front page and its tag's count", async () => {
    const author = await account();
    const title = "Weeding the picture books without tears";
    const postId = await publish(author.cookie, title, "weeding-flags");
    const home = async () => (await callLoader(homeLoader, "/")).posts.map((post) => post.id);
    const tagCount = async () =>
      (await getDb().select({ count: tags.postCount }).from(tags).where(eq(tags.name, "weeding-flags")))[0]
        ?.count;
    expect(await home()).toContain(postId);
    expect(await tagCount()).toBe(1);

    const answers = [];
    for (let index = 0; index < 3; index++) answers.push(await flagPost((await account()).cookie, postId));
    expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
    expect(answers[0]!.location).toMatch(new RegExp(`^/posts/${postId}/[a-z0-9-]+\\?flagged=1$`));
    // The third flag closed the thread's page: the flagger goes to the front page.
    expect(answers[2]!.location).toBe("/?flagged=1");
    expect(await home()).not.toContain(postId);
    expect(await tagCount()).toBe(0);
    const [post] = await getDb().select().from(posts).where(eq(posts.id, postId));
    expect(post).toMatchObject({ status: "hidden", flagCount: 3 });
    const visitor = await thrownResponse(
      callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) }),
    );
    expect(visitor.status).toBe(404);

    const moderator = await account("moderator");
    const kept = await resolve(moderator.cookie, "flag-keep", "post", postId);
    expect(kept.data).toEqual({ outcome: "done", message: "Kept, and shown again. Its flags are closed." });
    expect(await home()).toContain(postId);
    expect(await tagCount()).toBe(1);
  });
});

describe("flagging a post", () => {
  it("shows the post being flagged, and refuses its author with 403", async () => {
    const author = await account();
    const postId = await publish(author.cookie);
    const answer = await flagPost(author.cookie, postId);
    expect(answer.status).toBe(403);
    expect(answer.text).toBe("You can't flag your own post.");
    const own = await thrownResponse(
      callLoader(
        flagPostLoader,
        `/posts/${postId}/flag`,
        { postId: String(postId) },
        { cookie: author.cookie },
      ),
    );
    expect(own.status).toBe(403);
    const member = await account();
    const page = await callLoader(
      flagPostLoader,
      `/posts/${postId}/flag`,
      { postId: String(postId) },
      { cookie: member.cookie },
    );
    expect(page.item).toMatchObject({
      title: "Booklists for the fourth-grade units",
      authorDisplayName: author.fields.displayName,
      excerpt: "We split the units.",
    });
  });
});

describe("the Flagged section of /mod", () => {
  it("lists open flags by item, with reasons, notes and who flagged, and counts them in the summary", async () => {
    const { postId, author, commentId } = await commentedThread();
    const first = await account();
    await flagComment(first.cookie, commentId, { reason: "off_topic", note: "About cats." });
    const second = await account();
    await flagComment(second.cookie, commentId, { reason: "spam", note: "" });

    const moderator = await account("moderator");
    const queue = await callLoader(queueLoader, "/mod", {}, { cookie: moderator.cookie });
    const group = queue.flagged.find((item) => item.kind === "comment" && item.id === commentId);
    expect(group).toMatchObject({
      postId,
      postTitle: "Booklists for the fourth-grade units",
      authorUsername: author.fields.username,
      hidden: false,
      flags: [
        { reasonLabel: "Off-topic", note: "About cats.", flaggerDisplayName: first.fields.displayName },
        { reasonLabel: "Spam", note: "", flaggerDisplayName: second.fields.displayName },
      ],
    });
    expect(group?.bodyHtml).toContain("<em>whole</em>");
    expect(queue.openFlags.flags).toBeGreaterThanOrEqual(2);
    expect(queue.openFlags.items).toBeGreaterThanOrEqual(1);
    expect(queue.openFlags.items).toBeLessThanOrEqual(queue.openFlags.flags);
  });

  it("Keep shows a hidden comment again, counts it, closes the flags and logs it", async () => {
    const { postId, commentId } = await commentedThread();
    await flagBy(3, commentId);
    const moderator = await account("moderator");
    const answer = await resolve(moderator.cookie, "flag-keep", "comment", commentId, "Blunt, but fair.");
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ outcome: "done", message: "Kept, and shown again. Its flags are closed." });

    const visible = await visibleToVisitor(postId);
    expect(visible.ids).toContain(commentId);
    expect(visible.commentCount).toBe(1);
    expect(await commentRow(commentId)).toMatchObject({ status: "approved", flagCount: 0 });
    const closed = await flagsOn(commentId);
    expect(closed.map((flag) => flag.status)).toEqual(["kept", "kept", "kept"]);
    expect(closed.every((flag) => flag.resolvedById === moderator.id && flag.resolvedAt)).toBe(true);
    expect((await logFor(commentId)).map((row) => [row.action, row.actorId, row.reason])).toEqual([
      ["hide", null, "3 members flagged it"],
      ["keep_flagged", moderator.id, "Blunt, but fair."],
    ]);
    const queue = await callLoader(queueLoader, "/mod", {}, { cookie: moderator.cookie });
    expect(queue.flagged.some((item) => item.kind === "comment" && item.id === commentId)).toBe(false);
  });

  it("Keep leaves a visible comment as it is", async () => {
    const { postId, commentId } = await commentedThread();
    await flagBy(1, commentId);
    const moderator = await account("moderator");
    const answer = await resolve(moderator.cookie, "flag-keep", "comment", commentId);
    expect(answer.data).toEqual({ outcome: "done", message: "Kept. Its flags are closed." });
    expect(await visibleToVisitor(postId)).toEqual({ ids: [commentId], commentCount: 1 });
  });

  it("Remove takes a hidden comment down for good and tells its author why", async () => {
    const { postId, author, commentId } = await commentedThread();
    await flagBy(3, commentId);
    const moderator = await account("moderator");
    const answer = await resolve(moderator.cookie, "flag-remove", "comment", commentId, "Personal attack.");
    expect(answer.data).toEqual({ outcome: "done", message: "Removed. The author has been told why." });

    expect(await visibleToVisitor(postId)).toEqual({ ids: [], commentCount: 0 });
    expect((await commentRow(commentId)).status).toBe("removed");
    expect((await flagsOn(commentId)).map((flag) => flag.status)).toEqual(["removed", "removed", "removed"]);
    expect((await logFor(commentId)).map((row) => row.action)).toEqual(["hide", "remove"]);
    const [notice] = await getDb()
      .select()
      .from(notifications)
      .where(eq(notifications.userId, author.id))
      .orderBy(desc(notifications.id))
      .limit(1);
    expect(notice).toMatchObject({
      kind: "moderation",
      actorId: moderator.id,
      commentId,
      message: "Your comment was removed after members flagged it: Personal attack.",
    });
    // A Keep afterwards finds nothing open.
    expect((await resolve(moderator.cookie, "flag-keep", "comment", commentId)).status).toBe(409);
  });

  it("Remove on a comment still showing takes it out of the count", async () => {
    const { postId, commentId } = await commentedThread();
    await flagBy(1, commentId);
    const moderator = await account("moderator");
    await resolve(moderator.cookie, "flag-remove", "comment", commentId);
    expect(await visibleToVisitor(postId)).toEqual({ ids: [], commentCount: 0 });
  });

  it("lets one of two moderators acting at once win; the other gets 409", async () => {
    const { commentId } = await commentedThread();
    await flagBy(3, commentId);
    const [one, two] = [await account("moderator"), await account("moderator")];
    const answers = await Promise.all([
      resolve(one.cookie, "flag-keep", "comment", commentId),
      resolve(two.cookie, "flag-remove", "comment", commentId, "Spam."),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 409)?.data).toEqual({
      outcome: "conflict",
      message: "Someone else already handled this item.",
    });
    const decisions = (await logFor(commentId)).filter((row) => row.action !== "hide");
    expect(decisions).toHaveLength(1);
    const winner = decisions[0]!.action === "keep_flagged" ? "kept" : "removed";
    expect((await flagsOn(commentId)).map((flag) => flag.status)).toEqual([winner, winner, winner]);
  });

  it("refuses a member with 403 and a made-up item with 400", async () => {
    const { commentId } = await commentedThread();
    await flagBy(1, commentId);
    const member = await account();
    expect((await resolve(member.cookie, "flag-remove", "comment", commentId)).status).toBe(403);
    const moderator = await account("moderator");
    const answer = await submitForm(
      queueAction,
      "/mod",
      { intent: "flag-keep", kind: "reply", id: String(commentId), reason: "" },
      { cookie: moderator.cookie },
    );
    expect(answer.status).toBe(400);
    const open = await getDb()
      .select()
      .from(flags)
      .where(and(eq(flags.commentId, commentId), eq(flags.status, "open")));
    expect(open).toHaveLength(1);
  });
});
