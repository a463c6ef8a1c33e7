import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments, posts } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import type { PrivacyConcern } from "~/lib/privacy-check";
import { loader as queueLoader } from "~/routes/mod._index";
import { action as threadAction } from "~/routes/posts.$postId.($slug)";
import { action as newPostAction } from "~/routes/posts.new";
import { joinedAccount, publishPost, replyTo, type Account } from "../support/member-actions";
import { callLoader, submitForm } from "../support/requests";

let keySequence = 0;
const submissionKey = () => `privacy-key-${process.pid}-${++keySequence}-abcdefgh`;

const NAMING_A_CHILD = "Maya Lopez, a 3rd grader, finished every book on our list. Any read-alikes?";
const PASSAGE = "Maya Lopez, a 3rd grader";

type Answer = {
  values: Record<string, string>;
  formError: string | null;
  previewHtml?: string | null;
  privacyConcerns?: PrivacyConcern[];
};

function submitPost(author: Account, fields: Record<string, string>) {
  return submitForm<Answer>(
    newPostAction,
    "/posts/new",
    {
      intent: "publish",
      title: "Read-alikes for a reader who finished everything",
      kind: "question",
      body: NAMING_A_CHILD,
      tags: "booklists",
      submissionKey: submissionKey(),
      ...fields,
    },
    { cookie: author.cookie },
  );
}

function submitComment(author: Account, postId: number, fields: Record<string, string>) {
  return submitForm<Answer>(
    threadAction,
    `/posts/${postId}`,
    { body: NAMING_A_CHILD, submissionKey: submissionKey(), ...fields },
    { cookie: author.cookie, params: { postId: String(postId) } },
  );
}

async function postsBy(author: Account) {
  return getDb().select().from(posts).where(eq(posts.authorId, author.user.id));
}

async function commentsBy(author: Account) {
  return getDb().select().from(comments).where(eq(comments.authorId, author.user.id));
}

async function queueItems() {
  const moderator = await joinedAccount("moderator");
  const queue = await callLoader(queueLoader, "/mod", {}, { cookie: moderator.cookie });
  return queue.items;
}

describe("the privacy guard on new posts", () => {
  it("sends a post naming a child back with the passage and the draft, and stores nothing", async () => {
    const author = await joinedAccount();
    const answer = await submitPost(author, {});

    expect(answer.status).toBe(400);
    expect(answer.data?.formError).toMatch(/This may identify a student/);
    expect(answer.data?.privacyConcerns).toEqual([
      expect.objectContaining({ kind: "student-name", passage: PASSAGE }),
    ]);
    expect(answer.data?.values).toMatchObject({
      title: "Read-alikes for a reader who finished everything",
      body: NAMING_A_CHILD,
      tags: "booklists",
    });
    expect(await postsBy(author)).toEqual([]);
  });

  it("holds a trusted member's post published anyway, with the reason shown in the queue", async () => {
    const author = await joinedAccount();
    const answer = await submitPost(author, { privacyConfirmed: "yes" });

    expect(answer.status).toBe(302);
    const [post] = await postsBy(author);
    expect(post).toMatchObject({
      status: "pending",
      heldReason: `Privacy check: a child's name? “${PASSAGE}”`,
    });
    expect(answer.location).toBe(`/posts/${post!.id}/${post!.slug}`);
    const held = (await queueItems()).find((item) => item.kind === "post" && item.id === post!.id);
    expect(held?.heldReason).toBe(`Privacy check: a child's name? “${PASSAGE}”`);
  });

  it("publishes a clean post at once, as before", async () => {
    const author = await joinedAccount();
    await publishPost(author, { body: "Our 4th graders loved the graphic novel club. Ideas for next term?" });

    const [post] = await postsBy(author);
    expect(post).toMatchObject({ status: "published", heldReason: null });
  });

  it("publishes a confirmed post normally once the author has edited the passage out", async () => {
    const author = await joinedAccount();
    const answer = await submitPost(author, {
      body: "One of my 3rd graders finished every book on our list. Any read-alikes?",
      privacyConfirmed: "yes",
    });

    expect(answer.status).toBe(302);
    const [post] = await postsBy(author);
    expect(post).toMatchObject({ status: "published", heldReason: null });
  });

  it("warns a moderator too, and publishes a moderator's confirmed post without holding it", async () => {
    const moderator = await joinedAccount("moderator");
    const warned = await submitPost(moderator, {});
    expect(warned.status).toBe(400);
    expect(await postsBy(moderator)).toEqual([]);

    const confirmed = await submitPost(moderator, { privacyConfirmed: "yes" });
    expect(confirmed.status).toBe(302);
    const [post] = await postsBy(moderator);
    expect(post).toMatchObject({ status: "published", heldReason: null });
  });

  it("lists the concerns on Preview, in the title as well as the body", async () => {
    const author = await joinedAccount();
    const answer = await submitPost(author, {
      intent: "preview",
      title: "Ideas for my student Liam Chen",
      body: "His mom's cell is 555-123-4567.",
    });

    expect(answer.status).toBe(200);
    expect(answer.data?.previewHtml).toContain("555-123-4567");
    expect(answer.data?.privacyConcerns?.map(({ kind, passage }) => ({ kind, passage }))).toEqual([
      { kind: "student-name", passage: "student Liam Chen" },
      { kind: "phone", passage: "555-123-4567" },
    ]);
    expect(await postsBy(author)).toEqual([]);
  });
});

describe("the privacy guard on comments", () => {
  it("sends a comment naming a child back with the passage and the draft, and stores nothing", async () => {
    const host = await publishPost(await joinedAccount());
    const author = await joinedAccount();
    const answer = await submitComment(author, host.id, {});

    expect(answer.status).toBe(400);
    expect(answer.data?.formError).toMatch(/This may identify a student/);
    expect(answer.data?.privacyConcerns?.map((concern) => concern.passage)).toEqual([PASSAGE]);
    expect(answer.data?.values).toEqual({ body: NAMING_A_CHILD, parentId: "" });
    expect(await commentsBy(author)).toEqual([]);
  });

  it("keeps the parent of a refused reply, so the reply form comes back under the same comment", async () => {
    const hostAccount = await joinedAccount();
    const host = await publishPost(hostAccount);
    const parentId = await replyTo(hostAccount, host.id, "Happy to share our list.");
    const author = await joinedAccount();
    const answer = await submitComment(author, host.id, { parentId: String(parentId) });

    expect(answer.status).toBe(400);
    expect(answer.data?.values).toEqual({ body: NAMING_A_CHILD, parentId: String(parentId) });
    expect(await commentsBy(author)).toEqual([]);
  });

  it("holds a trusted member's comment published anyway, with the reason shown in the queue", async () => {
    const host = await publishPost(await joinedAccount());
    const author = await joinedAccount();
    const answer = await submitComment(author, host.id, { privacyConfirmed: "yes" });

    expect(answer.status).toBe(302);
    const [comment] = await commentsBy(author);
    expect(comment).toMatchObject({
      status: "pending",
      heldReason: `Privacy check: a child's name? “${PASSAGE}”`,
    });
    expect(answer.location).toBe(`${host.path}?at=${comment!.id}#comment-${comment!.id}`);
    const held = (await queueItems()).find((item) => item.kind === "comment" && item.id === comment!.id);
    expect(held?.heldReason).toBe(`Privacy check: a child's name? “${PASSAGE}”`);
  });

  it("publishes a clean comment at once, as before", async () => {
    const host = await publishPost(await joinedAccount());
    const author = await joinedAccount();
    await replyTo(author, host.id, "Call the library at 555-201-3000 to book a class visit.");

    const [comment] = await commentsBy(author);
    expect(comment).toMatchObject({ status: "approved", heldReason: null });
  });

  it("publishes a moderator's confirmed comment without holding it", async () => {
    const host = await publishPost(await joinedAccount());
    const moderator = await joinedAccount("moderator");
    expect((await submitComment(moderator, host.id, {})).status).toBe(400);

    const confirmed = await submitComment(moderator, host.id, { privacyConfirmed: "yes" });
    expect(confirmed.status).toBe(302);
    const [comment] = await commentsBy(moderator);
    expect(comment).toMatchObject({ status: "approved", heldReason: null });
  });
});
