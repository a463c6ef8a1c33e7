import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments, posts, type Comment, type Post } from "~/db/schema";
import type { CommentNode } from "~/lib/comment-tree";
import { countQueries, getDb } from "~/lib/db.server";
import type { ThreadComment } from "~/models/thread-page.server";
import { action as threadAction, loader } from "~/routes/posts.$postId.($slug)";
import { createComment, createMember, createPost } from "../support/factories";
import { joinedAccount, replyTo } from "../support/member-actions";
import { callLoader, submitForm } from "../support/requests";

const openThread = (post: Post, query = "") =>
  callLoader(loader, `/posts/${post.id}/${post.slug}${query}`, { postId: String(post.id), slug: post.slug });

const topLevelIds = (nodes: CommentNode<ThreadComment>[]) => nodes.map((node) => node.comment.id);
const allIds = (nodes: CommentNode<ThreadComment>[]): number[] =>
  nodes.flatMap((node) => [node.comment.id, ...allIds(node.replies)]);

/** A thread of `count` conversations, each a top-level reply with one reply under it. */
async function longThread(count: number, overrides: Partial<Parameters<typeof createPost>[1]> = {}) {
  const author = await createMember();
  const helper = await createMember();
  const post = await createPost(author, overrides);
  const conversations: { top: Comment; reply: Comment }[] = [];
  const start = Date.now() - count * 60_000;
  for (let index = 0; index < count; index++) {
    const createdAt = new Date(start + index * 60_000);
    const top = await createComment(post, helper, { createdAt });
    const reply = await createComment(post, author, {
      parent: top,
      createdAt: new Date(createdAt.getTime() + 1),
    });
    conversations.push({ top, reply });
  }
  return { post, author, helper, conversations };
}

const tops = (conversations: { top: Comment }[]) => conversations.map(({ top }) => top.id);

describe("a long thread's pages", () => {
  it("shows 20 conversations a page, oldest first, each with the replies under it", async () => {
    const { post, conversations } = await longThread(45);

    const first = await openThread(post);
    expect(first.pages).toMatchObject({ number: 1, count: 3 });
    expect(topLevelIds(first.comments)).toEqual(tops(conversations.slice(0, 20)));
    expect(first.comments[0]!.replies.map((node) => node.comment.id)).toEqual([conversations[0]!.reply.id]);
    expect(allIds(first.comments)).toHaveLength(40);

    const second = await openThread(post, "?page=2");
    expect(second.pages).toMatchObject({ number: 2, count: 3 });
    expect(topLevelIds(second.comments)).toEqual(tops(conversations.slice(20, 40)));

    const last = await openThread(post, "?page=3");
    expect(topLevelIds(last.comments)).toEqual(tops(conversations.slice(40)));
    // The heading still counts every reply in the thread.
    expect(last.post.commentCount).toBe(90);
  });

  it("keeps an unknown page number within the thread's pages", async () => {
    const { post, conversations } = await longThread(21);
    const past = await openThread(post, "?page=99");
    expect(past.pages).toMatchObject({ number: 2, count: 2 });
    expect(topLevelIds(past.comments)).toEqual([conversations[20]!.top.id]);
    for (const query of ["?page=0", "?page=-2", "?page=abc", "?page=99999999999"]) {
      const answer = await openThread(post, query);
      expect(answer.pages.number, query).toBe(1);
      expect(topLevelIds(answer.comments), query).toEqual(tops(conversations.slice(0, 20)));
    }
  });

  it("opens the page that holds a comment linked with ?at=, or replied to with ?replyTo=", async () => {
    const { post, conversations } = await longThread(45);
    const deep = await createComment(post, await createMember(), { parent: conversations[29]!.reply });

    const atDeep = await openThread(post, `?at=${deep.id}`);
    expect(atDeep.pages.number).toBe(2);
    expect(allIds(atDeep.comments)).toContain(deep.id);

    const replying = await openThread(post, `?replyTo=${conversations[42]!.top.id}`);
    expect(replying.pages.number).toBe(3);
    expect(replying.replyTo).toMatchObject({ id: conversations[42]!.top.id });

    // A comment of another thread, or none at all, falls back to the page asked for.
    const other = await longThread(1);
    const elsewhere = await openThread(post, `?at=${other.conversations[0]!.top.id}&page=2`);
    expect(elsewhere.pages.number).toBe(2);
  });

  it("keeps replies under a removed top-level reply on its page, shown at the top level", async () => {
    const author = await createMember();
    const post = await createPost(author);
    const start = Date.now() - 100 * 60_000;
    const ids: number[] = [];
    let orphan: Comment | undefined;
    for (let index = 0; index < 25; index++) {
      const createdAt = new Date(start + index * 60_000);
      // The 22nd top-level reply was removed after someone answered it.
      const top = await createComment(post, author, {
        createdAt,
        status: index === 21 ? "removed" : "approved",
      });
      if (index === 21) {
        orphan = await createComment(post, author, {
          parent: top,
          createdAt: new Date(createdAt.getTime() + 1),
        });
        ids.push(orphan.id);
      } else ids.push(top.id);
    }
    const second = await openThread(post, "?page=2");
    expect(second.pages.count).toBe(2);
    expect(topLevelIds(second.comments)).toEqual(ids.slice(20));
    const atOrphan = await openThread(post, `?at=${orphan!.id}`);
    expect(atOrphan.pages.number).toBe(2);
  });

  it("shows a question's accepted answer under it on every page, linked to the page that holds it", async () => {
    const { post, conversations } = await longThread(45, { kind: "question" });
    const accepted = conversations[41]!.top;
    await getDb().update(posts).set({ acceptedCommentId: accepted.id }).where(eq(posts.id, post.id));

    const first = await openThread(post);
    expect(first.acceptedAnswer).toMatchObject({
      id: accepted.id,
      href: `/posts/${post.id}/${post.slug}?at=${accepted.id}#comment-${accepted.id}`,
    });
    const third = await openThread(post, "?page=3");
    expect(third.acceptedAnswer?.href).toBe(`#comment-${accepted.id}`);
  });

  it("lands a new reply's author on the page that holds it", async () => {
    const { post } = await longThread(21);
    const member = await joinedAccount("moderator");
    const commentId = await replyTo(member, post.id, "The newest reply goes on the last page.");
    const after = await openThread(post, `?at=${commentId}`);
    expect(after.pages).toMatchObject({ number: 2, count: 2 });
    expect(topLevelIds(after.comments)).toContain(commentId);
  });

  it("gives no page slot to a deleted top-level reply with nothing under it", async () => {
    const { post, conversations } = await longThread(20);
    const lone = await createComment(post, await createMember());
    await getDb().update(comments).set({ deletedAt: new Date() }).where(eq(comments.id, lone.id));
    const thread = await openThread(post);
    expect(thread.pages).toMatchObject({ number: 1, count: 1 });
    expect(topLevelIds(thread.comments)).toEqual(tops(conversations));
  });

  it("sends a member who watches, marks the post Helpful or moderates back to the page they were on", async () => {
    const { post } = await longThread(45);
    const moderator = await joinedAccount("moderator");
    const path = `/posts/${post.id}/${post.slug}`;
    const send = (query: string, fields: Record<string, string>) =>
      submitForm(threadAction, `${path}${query}`, fields, {
        cookie: moderator.cookie,
        params: { postId: String(post.id), slug: post.slug },
      });
    expect((await send("?page=2", { intent: "watch" })).location).toBe(`${path}?page=2#watch`);
    const anchor = (await openThread(post, "?page=3")).comments[0]!.comment.id;
    expect(
      (await send(`?at=${anchor}`, { intent: "helpful", kind: "post", id: String(post.id) })).location,
    ).toBe(`${path}?at=${anchor}#post-title`);
    expect((await send("?page=3", { intent: "lock", reason: "" })).location).toBe(`${path}?page=3`);
    expect((await send("", { intent: "unlock", reason: "" })).location).toBe(path);
  });

  it("reads any page of a visitor's thread in one statement", async () => {
    const { post } = await longThread(45);
    for (const query of ["", "?page=2", "?page=3"]) {
      const { queries } = await countQueries(() => openThread(post, query));
      expect(queries, query).toBe(1);
    }
  });
});
