import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments, moderationActions, notifications, posts, sessions, users } from "~/db/schema";
import { executeRows, getDb } from "~/lib/db.server";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { decide } from "~/models/moderation.server";
import { saveModerationPolicy } from "~/models/settings.server";
import { createComment, createPost } from "~/models/writing.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { joinAs } from "../support/accounts";
import { createMember } from "../support/factories";
import { callLoader, thrownResponse } from "../support/requests";

async function threadFor(postId: number, cookie?: string) {
  return callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) }, { cookie });
}

async function newPost(authorId: number, body = "A body") {
  return createPost({ authorId, kind: "discussion", title: "A thread to moderate", bodyMd: body, tags: [] });
}

async function newComment(postId: number, authorId: number, body = "A comment") {
  const result = await createComment({ postId, authorId, bodyMd: body });
  if (!result.ok) throw new Error(result.reason);
  return result.comment;
}

async function userRow(id: number) {
  const [row] = await getDb().select().from(users).where(eq(users.id, id));
  return row!;
}

describe("holding new members' writing", () => {
  it("holds a new member's post and comments until two were approved, then publishes the next at once", async () => {
    const moderator = await createMember({ role: "moderator" });
    const newcomer = await joinAs();
    const newcomerId = (
      await getDb().select().from(users).where(eq(users.username, newcomer.fields.username))
    )[0]!.id;
    const thread = await newPost(moderator.id);
    expect(thread.status).toBe("published");

    const first = await newComment(thread.id, newcomerId, "My first comment");
    expect(first.status).toBe("pending");
    const heldPost = await newPost(newcomerId);
    expect(heldPost.status).toBe("pending");

    // The author sees their held comment and post; a visitor sees neither, and no count moved.
    const asAuthor = await threadFor(thread.id, newcomer.cookie);
    expect(asAuthor.comments.map((node) => node.comment.status)).toEqual(["pending"]);
    const asVisitor = await threadFor(thread.id);
    expect(asVisitor.comments).toEqual([]);
    expect(asVisitor.post.commentCount).toBe(0);
    expect((await thrownResponse(threadFor(heldPost.id))).status).toBe(404);
    expect((await threadFor(heldPost.id, newcomer.cookie)).post.status).toBe("pending");
    const home = await callLoader(homeLoader, "/");
    expect(home.posts.map((post) => post.id)).not.toContain(heldPost.id);

    expect(await decide({ kind: "comment", id: first.id }, "approve", moderator.id)).toEqual({ ok: true });
    expect(await decide({ kind: "post", id: heldPost.id }, "approve", moderator.id)).toEqual({ ok: true });
    expect((await userRow(newcomerId)).approvedCount).toBe(2);
    expect((await threadFor(thread.id)).post.commentCount).toBe(1);

    const trusted = await newComment(thread.id, newcomerId, "Now I am trusted");
    expect(trusted.status).toBe("approved");
  });

  it("holds a trusted member's comment with 3 links or a blocked word, and never a moderator's", async () => {
    const moderator = await createMember({ role: "moderator" });
    const trusted = await createMember();
    await getDb().update(users).set({ approvedCount: 10 }).where(eq(users.id, trusted.id));
    await saveModerationPolicy({ ...defaultModerationPolicy, blockedWords: ["casino"] }, moderator.id);
    const thread = await newPost(moderator.id);

    const links = "https://a.example https://b.example https://c.example";
    expect((await newComment(thread.id, trusted.id, links)).status).toBe("pending");
    expect((await newComment(thread.id, trusted.id, "Try the CASINO")).status).toBe("pending");
    expect((await newComment(thread.id, trusted.id, "Plain and useful")).status).toBe("approved");
    expect((await newComment(thread.id, moderator.id, `${links} casino`)).status).toBe("approved");

    const [logged] = await getDb()
      .select()
      .from(moderationActions)
      .where(eq(moderationActions.action, "change_settings"));
    expect(logged?.actorId).toBe(moderator.id);
    await saveModerationPolicy(defaultModerationPolicy, moderator.id);
  });
});

describe("deciding on held items", () => {
  it("rejects with the reason in the author's notification, and logs it in the same step", async () => {
    const moderator = await createMember({ role: "moderator" });
    const author = await createMember();
    const thread = await newPost(moderator.id);
    const held = await newComment(thread.id, author.id);
    expect(
      await decide({ kind: "comment", id: held.id }, "reject", moderator.id, "Please keep it on topic"),
    ).toEqual({
      ok: true,
    });
    const [row] = await getDb().select().from(comments).where(eq(comments.id, held.id));
    expect(row?.status).toBe("rejected");
    const [note] = await getDb().select().from(notifications).where(eq(notifications.commentId, held.id));
    expect(note).toMatchObject({ userId: author.id, kind: "rejected" });
    expect(note?.message).toContain("Please keep it on topic");
    const [log] = await getDb()
      .select()
      .from(moderationActions)
      .where(eq(moderationActions.commentId, held.id));
    expect(log).toMatchObject({ action: "reject", actorId: moderator.id, reason: "Please keep it on topic" });
    expect((await userRow(author.id)).rejectedCount).toBe(1);
  });

  it("suspends a member automatically at the second item marked spam, ending their sessions", async () => {
    const moderator = await createMember({ role: "moderator" });
    const spammer = await joinAs();
    const spammerId = (
      await getDb().select().from(users).where(eq(users.username, spammer.fields.username))
    )[0]!.id;
    const thread = await newPost(moderator.id);
    const first = await newComment(thread.id, spammerId, "Buy now");
    const second = await newComment(thread.id, spammerId, "Buy again");

    await decide({ kind: "comment", id: first.id }, "spam", moderator.id);
    expect((await userRow(spammerId)).status).toBe("active");
    await decide({ kind: "comment", id: second.id }, "spam", moderator.id);
    expect((await userRow(spammerId)).status).toBe("suspended");
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, spammerId))).toEqual([]);
    const suspensions = await getDb()
      .select()
      .from(moderationActions)
      .where(
        sql`${moderationActions.action} = 'suspend' and ${moderationActions.targetUserId} = ${spammerId}`,
      );
    expect(suspensions).toHaveLength(1);
    expect(suspensions[0]?.actorId).toBeNull();
  });

  it("lets exactly one of two moderators acting at once decide an item", async () => {
    const first = await createMember({ role: "moderator" });
    const second = await createMember({ role: "moderator" });
    const author = await createMember();
    const thread = await newPost(first.id);
    const held = await newComment(thread.id, author.id);

    const results = await Promise.all([
      decide({ kind: "comment", id: held.id }, "approve", first.id),
      decide({ kind: "comment", id: held.id }, "reject", second.id, "Off topic"),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, reason: "already-handled" }]);
    const actions = await getDb()
      .select()
      .from(moderationActions)
      .where(eq(moderationActions.commentId, held.id));
    expect(actions).toHaveLength(1);
    const [{ count } = { count: -1 }] = await executeRows<{ count: number }>(
      sql`select count(*)::int as count from notifications where comment_id = ${held.id} and user_id = ${author.id}`,
    );
    expect(count).toBe(1);
    // Only an approval makes the comment public, and only then is the thread's author told of the reply.
    const [{ count: replyNotices } = { count: -1 }] = await executeRows<{ count: number }>(
      sql`select count(*)::int as count from notifications where comment_id = ${held.id} and user_id = ${first.id}`,
    );
    expect(replyNotices).toBe(results[0]!.ok ? 1 : 0);
    const [post] = await getDb().select().from(posts).where(eq(posts.id, thread.id));
    expect(post?.commentCount).toBe(results[0]!.ok ? 1 : 0);
  });
});
