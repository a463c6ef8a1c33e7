import { describe, expect, it } from "vitest";
import type { Comment } from "~/db/schema";
import type { CommentNode } from "~/lib/comment-tree";
import { countQueries } from "~/lib/db.server";
import type { ThreadComment } from "~/models/thread-page.server";
import { loader } from "~/routes/posts.$postId.($slug)";
import { createComment, createMember, createPost } from "../support/factories";
import { callLoader, thrownResponse } from "../support/requests";

const openThread = (postId: number, slug?: string) =>
  callLoader(loader, `/posts/${postId}${slug ? `/${slug}` : ""}`, {
    postId: String(postId),
    ...(slug ? { slug } : {}),
  });

function flatten(nodes: CommentNode<ThreadComment>[]): number[] {
  return nodes.flatMap((node) => [node.comment.id, ...flatten(node.replies)]);
}

describe("the thread page", () => {
  it("shows the post and its approved comments as a tree of replies", async () => {
    const asker = await createMember({ displayName: "Maria Okafor" });
    const helper = await createMember({ displayName: "Dev Patel", libraryType: "public" });
    const post = await createPost(asker, {
      kind: "question",
      title: "How do I reach a school that never answers?",
    });
    const first = await createComment(post, helper, { body: "Ask the **literacy coach**." });
    const reply = await createComment(post, asker, { parent: first, body: "Thank you!" });
    const second = await createComment(post, helper, { body: "Try the PTA." });

    const thread = await openThread(post.id);
    expect(thread.post).toMatchObject({
      title: post.title,
      kind: "question",
      authorDisplayName: "Maria Okafor",
    });
    expect(thread.comments.map((node) => node.comment.id)).toEqual([first.id, second.id]);
    expect(thread.comments[0]!.replies.map((node) => node.comment.id)).toEqual([reply.id]);
    expect(thread.comments[0]!.comment).toMatchObject({
      authorDisplayName: "Dev Patel",
      authorLibraryType: "public",
      bodyHtml: "<p>Ask the <strong>literacy coach</strong>.</p>",
    });
  });

  it("nests replies down to depth 5 and shows deeper ones at depth 5 saying whom they answer", async () => {
    const author = await createMember({ displayName: "Hannah Lindqvist" });
    const post = await createPost(author);
    let parent: Comment | undefined;
    const chain: Comment[] = [];
    for (let depth = 1; depth <= 7; depth++) {
      parent = await createComment(post, author, { parent });
      chain.push(parent);
    }
    const thread = await openThread(post.id);
    let level = thread.comments;
    for (let depth = 1; depth < 5; depth++) level = level[0]!.replies;
    expect(level.map((node) => node.comment.id)).toEqual([chain[4]!.id, chain[5]!.id, chain[6]!.id]);
    expect(level[1]!.inReplyTo).toEqual({ id: chain[4]!.id, name: "Hannah Lindqvist" });
    expect(level[2]!.inReplyTo).toEqual({ id: chain[5]!.id, name: "Hannah Lindqvist" });
  });

  it("leaves out comments that are held, rejected, spam or removed", async () => {
    const author = await createMember();
    const post = await createPost(author);
    const approved = await createComment(post, author);
    for (const status of ["pending", "rejected", "spam", "removed"] as const) {
      await createComment(post, author, { status });
    }
    const thread = await openThread(post.id);
    expect(flatten(thread.comments)).toEqual([approved.id]);
    expect(thread.post.commentCount).toBe(1);
  });

  it("ignores the slug in the address", async () => {
    const author = await createMember();
    const post = await createPost(author);
    const thread = await openThread(post.id, "any-words-at-all");
    expect(thread.post.id).toBe(post.id);
  });

  it("answers 404 for an unknown id, an id that is not a number, and posts that are not published", async () => {
    const author = await createMember();
    const held = await createPost(author, { status: "pending" });
    const hidden = await createPost(author, { status: "hidden" });
    for (const postId of [
      "999999",
      "abc",
      "0",
      "-1",
      "1.5",
      "99999999999",
      String(held.id),
      String(hidden.id),
    ]) {
      const response = await thrownResponse(callLoader(loader, `/posts/${postId}`, { postId }));
      expect(response.status, `for /posts/${postId}`).toBe(404);
    }
  });

  it("costs the same number of SQL queries for 10 comments as for 500", async () => {
    const author = await createMember();
    const measure = async (commentCount: number) => {
      const post = await createPost(author);
      let parent: Comment | undefined;
      for (let index = 0; index < commentCount; index++) {
        // Every third comment answers the one before it, so the tree has depth.
        const comment = await createComment(post, author, { parent: index % 3 === 0 ? undefined : parent });
        parent = comment;
      }
      const { result, queries } = await countQueries(() => openThread(post.id));
      // The first page: 20 conversations of three comments each.
      expect(flatten(result.comments)).toHaveLength(Math.min(commentCount, 60));
      return queries;
    };
    const small = await measure(10);
    const large = await measure(500);
    expect(small).toBe(large);
    expect(small).toBeLessThanOrEqual(3);
  });
});
