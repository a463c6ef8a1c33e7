import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { comments, moderationActions, posts, revisions, tags, users } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { saveModerationPolicy } from "~/models/settings.server";
import { action as editCommentAction, loader as editCommentLoader } from "~/routes/comments.$commentId.edit";
import { loader as commentRevisionsLoader } from "~/routes/comments.$commentId.revisions";
import { action as threadAction, loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { action as editPostAction, loader as editPostLoader } from "~/routes/posts.$postId.edit";
import { action as newPostAction } from "~/routes/posts.new";
import { joinAs } from "../support/accounts";
import { callLoader, submitForm, thrownResponse } from "../support/requests";

// These tests are about writing: every member here is trusted from the start, so
// nothing is held (tests/integration/moderation*.test.ts cover holding).
beforeAll(async () => {
  await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
});

let keySequence = 0;
const submissionKey = () => `test-key-${process.pid}-${++keySequence}-abcdefgh`;

async function publish(
  cookie: string,
  fields: Partial<Record<"title" | "kind" | "body" | "tags" | "submissionKey", string>> = {},
) {
  const answer = await submitForm(
    newPostAction,
    "/posts/new",
    {
      intent: "publish",
      title: "Booklists matched to the fourth-grade units",
      kind: "idea",
      body: "We split the units between us.",
      tags: "booklists, curriculum",
      submissionKey: submissionKey(),
      ...fields,
    },
    { cookie },
  );
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  const postId = Number(/^\/posts\/(\d+)\//.exec(answer.location ?? "")?.[1]);
  return { postId, location: answer.location! };
}

async function comment(cookie: string, postId: number, body: string, extra: Record<string, string> = {}) {
  return submitForm<{
    errors: Record<string, string[]>;
    values: Record<string, string>;
    formError: string | null;
  }>(
    threadAction,
    `/posts/${postId}`,
    { body, submissionKey: submissionKey(), ...extra },
    { cookie, params: { postId: String(postId) } },
  );
}

const commentIdFrom = (location: string | null) => Number(/#comment-(\d+)$/.exec(location ?? "")?.[1]);

async function postRow(postId: number) {
  const [row] = await getDb().select().from(posts).where(eq(posts.id, postId));
  return row!;
}

describe("starting a post", () => {
  it("publishes with cooked HTML, a slug, normalised tags and the author watching", async () => {
    const { cookie } = await joinAs();
    const { postId, location } = await publish(cookie, {
      title: "Summer reading: what worked with the middle school?",
      body: "**Bold** idea with <script>alert(1)</script> and @maria-okafor",
      tags: " Summer Reading, booklists,booklists ",
    });
    expect(location).toBe(`/posts/${postId}/summer-reading-what-worked-with-the-middle-school`);
    const post = await postRow(postId);
    expect(post.status).toBe("published");
    expect(post.bodyHtml).toContain("<strong>Bold</strong>");
    expect(post.bodyHtml).not.toContain("<script");
    expect(post.bodyHtml).toContain('<a href="/u/maria-okafor"');
    const thread = await callLoader(threadLoader, location, { postId: String(postId) });
    expect(thread.post.tags).toEqual(["booklists", "summer-reading"]);
    const [tag] = await getDb().select().from(tags).where(eq(tags.name, "summer-reading"));
    expect(tag?.postCount).toBe(1);
  });

  it("previews with the same renderer without saving anything", async () => {
    const { cookie } = await joinAs();
    const before = await getDb()
      .select({ count: sql<number>`count(*)::int` })
      .from(posts);
    const answer = await submitForm<{ previewHtml: string; values: Record<string, string> }>(
      newPostAction,
      "/posts/new",
      {
        intent: "preview",
        title: "x",
        kind: "",
        body: "# Heading\n\n*hi* <img src=x onerror=alert(1)>",
        tags: "",
      },
      { cookie },
    );
    expect(answer.status).toBe(200);
    expect(answer.data?.previewHtml).toContain("<h3>Heading</h3>");
    expect(answer.data?.previewHtml).not.toContain("onerror");
    expect(answer.data?.values.title).toBe("x");
    const after = await getDb()
      .select({ count: sql<number>`count(*)::int` })
      .from(posts);
    expect(after).toEqual(before);
  });

  it("refuses to preview a body longer than could be saved", async () => {
    const { cookie } = await joinAs();
    const answer = await submitForm<{ errors: Record<string, string[]>; previewHtml: string | null }>(
      newPostAction,
      "/posts/new",
      { intent: "preview", title: "A title", kind: "idea", body: "[](".repeat(7_000), tags: "" },
      { cookie },
    );
    expect(answer.status).toBe(400);
    expect(answer.data?.errors.body?.[0]).toMatch(/20,000 characters/);
    expect(answer.data?.previewHtml).toBeNull();
  });

  it.each([
    ["title", "Too short", "x".repeat(7), /at least 8 characters/],
    ["title", "too long", "x".repeat(151), /150 characters/],
    ["body", "empty", "   ", /Write the body/],
    ["body", "too long", "x".repeat(20_001), /20,000 characters/],
    ["kind", "unknown", "rumour", /Choose the type/],
    ["tags", "too many", "a1, b2, c3, d4, e5, f6", /at most 5 tags/],
    ["tags", "badly formed", "ok-tag, x, bad_tag!", /"x", "bad_tag!" are not/],
  ])(
    "refuses a %s that is %s with 400, keeping everything typed",
    async (field, _description, value, message) => {
      const { cookie } = await joinAs();
      const fields = {
        intent: "publish",
        title: "A perfectly good title",
        kind: "question",
        body: "A body.",
        tags: "booklists",
        [field]: value,
      };
      const answer = await submitForm<{ errors: Record<string, string[]>; values: Record<string, string> }>(
        newPostAction,
        "/posts/new",
        fields,
        { cookie },
      );
      expect(answer.status).toBe(400);
      expect(answer.data?.errors[field]?.join(" ")).toMatch(message);
      expect(answer.data?.values).toMatchObject({
        title: fields.title,
        body: fields.body,
        tags: fields.tags,
      });
    },
  );

  it("makes one post when the same form is submitted twice", async () => {
    const { cookie } = await joinAs();
    const key = submissionKey();
    const first = await publish(cookie, { submissionKey: key, title: "Sent twice by a double click" });
    const second = await publish(cookie, { submissionKey: key, title: "Sent twice by a double click" });
    expect(second.postId).toBe(first.postId);
    const rows = await getDb().select().from(posts).where(eq(posts.title, "Sent twice by a double click"));
    expect(rows).toHaveLength(1);
  });

  it("answers the 4th post within 10 minutes with 429, keeping the draft", async () => {
    const { cookie } = await joinAs();
    for (let index = 0; index < 3; index++) await publish(cookie, { title: `Post number ${index} of three` });
    const answer = await submitForm<{ values: Record<string, string>; formError: string }>(
      newPostAction,
      "/posts/new",
      {
        intent: "publish",
        title: "One post too many",
        kind: "idea",
        body: "Keep me.",
        tags: "",
        submissionKey: submissionKey(),
      },
      { cookie },
    );
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(answer.data?.values).toMatchObject({ title: "One post too many", body: "Keep me." });
    expect(answer.data?.formError).toMatch(/try again in \d+ minutes?/);
  });

  it("sends a visitor to log in", async () => {
    const answer = await submitForm(newPostAction, "/posts/new", { intent: "publish" });
    expect(answer.status).toBe(302);
    expect(answer.location).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("comments and replies", () => {
  it("adds comments and replies to any depth, moving the thread's counters in the same step", async () => {
    const { cookie, fields } = await joinAs();
    // Eight comments in a row: a moderator, whom the comment rate limit does not slow down.
    await getDb().update(users).set({ role: "moderator" }).where(eq(users.username, fields.username));
    const { postId } = await publish(cookie);
    const before = await postRow(postId);

    const first = await comment(cookie, postId, "Top-level comment");
    expect(first.status).toBe(302);
    let parentId = commentIdFrom(first.location);
    for (let depth = 2; depth <= 8; depth++) {
      const reply = await comment(cookie, postId, `Reply at depth ${depth}`, { parentId: String(parentId) });
      expect(reply.location).toMatch(new RegExp(`^/posts/${postId}/[a-z0-9-]+\\?at=(\\d+)#comment-\\1$`));
      parentId = commentIdFrom(reply.location);
    }
    const [deepest] = await getDb().select().from(comments).where(eq(comments.id, parentId));
    expect(deepest?.depth).toBe(8);
    const after = await postRow(postId);
    expect(after.commentCount).toBe(8);
    expect(after.lastActivityAt.getTime()).toBeGreaterThanOrEqual(before.lastActivityAt.getTime());

    const thread = await callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) });
    let level = thread.comments;
    for (let depth = 1; depth < 5; depth++) level = level[0]!.replies;
    expect(level).toHaveLength(4);
    expect(level.slice(1).every((node) => node.inReplyTo !== null)).toBe(true);
  });

  it("makes one comment when the same form is submitted twice", async () => {
    const { cookie } = await joinAs();
    const { postId } = await publish(cookie);
    const key = submissionKey();
    const first = await comment(cookie, postId, "Only once, please", { submissionKey: key });
    const second = await comment(cookie, postId, "Only once, please", { submissionKey: key });
    expect(second.location).toBe(first.location);
    const rows = await getDb().select().from(comments).where(eq(comments.postId, postId));
    expect(rows).toHaveLength(1);
    expect((await postRow(postId)).commentCount).toBe(1);
  });

  it("refuses a reply to a comment of another thread, keeping the draft", async () => {
    const { cookie } = await joinAs();
    const here = await publish(cookie);
    const elsewhere = await publish(cookie, { title: "Another thread entirely" });
    const foreign = commentIdFrom((await comment(cookie, elsewhere.postId, "Over there")).location);
    const answer = await comment(cookie, here.postId, "My careful reply", { parentId: String(foreign) });
    expect(answer.status).toBe(400);
    expect(answer.data?.formError).toMatch(/not in this thread/);
    expect(answer.data?.values.body).toBe("My careful reply");
  });

  it("refuses a reply to a deleted, removed or held comment", async () => {
    const { cookie } = await joinAs();
    const { postId } = await publish(cookie);
    const target = commentIdFrom((await comment(cookie, postId, "Soon to be held")).location);
    for (const status of ["pending", "removed"] as const) {
      await getDb().update(comments).set({ status }).where(eq(comments.id, target));
      const answer = await comment(cookie, postId, "A reply", { parentId: String(target) });
      expect(answer.status, status).toBe(400);
      expect(answer.data?.formError).toMatch(/can't reply to that comment/);
    }
  });

  it("refuses a comment on a locked thread with 403, keeping the draft", async () => {
    const { cookie } = await joinAs();
    const { postId } = await publish(cookie);
    await getDb().update(posts).set({ locked: true }).where(eq(posts.id, postId));
    const answer = await comment(cookie, postId, "Too late");
    expect(answer.status).toBe(403);
    expect(answer.data?.formError).toMatch(/locked/);
    expect(answer.data?.values.body).toBe("Too late");
  });

  it.each([
    ["empty", "   ", /Write your comment/],
    ["over 10,000 characters", "y".repeat(10_001), /10,000 characters/],
  ])("refuses a comment that is %s with 400, keeping it", async (_description, body, message) => {
    const { cookie } = await joinAs();
    const { postId } = await publish(cookie);
    const answer = await comment(cookie, postId, body);
    expect(answer.status).toBe(400);
    expect(answer.data?.errors.body?.join(" ")).toMatch(message);
    expect(answer.data?.values.body).toBe(body);
  });

  it("answers the 7th comment within a minute with 429, keeping the draft", async () => {
    const { cookie } = await joinAs();
    const { postId } = await publish(cookie);
    for (let index = 1; index <= 6; index++)
      expect((await comment(cookie, postId, `Comment ${index}`)).status).toBe(302);
    const answer = await comment(cookie, postId, "Seventh, too fast");
    expect(answer.status).toBe(429);
    expect(answer.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(answer.data?.values.body).toBe("Seventh, too fast");
    const stored = await getDb()
      .select({ body: comments.bodyMd })
      .from(comments)
      .where(eq(comments.postId, postId));
    expect(stored.map((row) => row.body)).not.toContain("Seventh, too fast");
    const [thread] = await getDb()
      .select({ count: posts.commentCount })
      .from(posts)
      .where(eq(posts.id, postId));
    expect(thread?.count).toBe(6);
  });

  it("does not count a refused comment against the limit", async () => {
    const { cookie } = await joinAs();
    const { postId } = await publish(cookie);
    await getDb().update(posts).set({ locked: true }).where(eq(posts.id, postId));
    for (let index = 1; index <= 7; index++)
      expect((await comment(cookie, postId, `Locked ${index}`)).status).toBe(403);
    await getDb().update(posts).set({ locked: false }).where(eq(posts.id, postId));
    for (let index = 1; index <= 6; index++)
      expect((await comment(cookie, postId, `Comment ${index}`)).status).toBe(302);
  });

  it("does not limit moderators", async () => {
    const { cookie, fields } = await joinAs();
    await getDb().update(users).set({ role: "moderator" }).where(eq(users.username, fields.username));
    const { postId } = await publish(cookie);
    for (let index = 1; index <= 8; index++)
      expect((await comment(cookie, postId, `Moderator note ${index}`)).status).toBe(302);
  });

  it("answers 404 for a comment on a thread that does not exist", async () => {
    const { cookie } = await joinAs();
    const answer = await comment(cookie, 987_654, "Into the void");
    expect(answer.status).toBe(404);
  });
});

describe("editing and deleting", () => {
  it("an edit keeps the previous text as a revision and marks the comment edited", async () => {
    const { cookie } = await joinAs();
    const { postId } = await publish(cookie);
    const commentId = commentIdFrom((await comment(cookie, postId, "First version")).location);
    const answer = await submitForm(
      editCommentAction,
      `/comments/${commentId}/edit`,
      { intent: "save", body: "Second version" },
      {
        cookie,
        params: { commentId: String(commentId) },
      },
    );
    expect(answer.status).toBe(302);
    const [row] = await getDb().select().from(comments).where(eq(comments.id, commentId));
    expect(row).toMatchObject({ bodyMd: "Second version", bodyHtml: "<p>Second version</p>" });
    expect(row?.editedAt).not.toBeNull();
    const history = await callLoader(
      commentRevisionsLoader,
      `/comments/${commentId}/revisions`,
      { commentId: String(commentId) },
      { cookie },
    );
    expect(history.revisions.map((revision) => revision.bodyMd)).toEqual(["First version"]);
  });

  it("shows a history only to the author and moderators, since it may hold what a moderator removed", async () => {
    const author = await joinAs();
    const stranger = await joinAs();
    const { postId } = await publish(author.cookie);
    const commentId = commentIdFrom((await comment(author.cookie, postId, "My phone is 555-0100")).location);
    await submitForm(
      editCommentAction,
      `/comments/${commentId}/edit`,
      { intent: "save", body: "Call the desk" },
      {
        cookie: author.cookie,
        params: { commentId: String(commentId) },
      },
    );
    const params = { commentId: String(commentId) };
    const visitor = await thrownResponse(
      callLoader(commentRevisionsLoader, `/comments/${commentId}/revisions`, params),
    );
    expect(visitor.status).toBe(302);
    const member = await thrownResponse(
      callLoader(commentRevisionsLoader, `/comments/${commentId}/revisions`, params, {
        cookie: stranger.cookie,
      }),
    );
    expect(member.status).toBe(403);
  });

  it("an edit that arrives after the comment was deleted changes nothing", async () => {
    const { cookie } = await joinAs();
    const { postId } = await publish(cookie);
    const commentId = commentIdFrom((await comment(cookie, postId, "Going away")).location);
    const params = { commentId: String(commentId) };
    const form = await callLoader(editCommentLoader, `/comments/${commentId}/edit`, params, { cookie });
    expect(form.comment.bodyMd).toBe("Going away");
    await submitForm(
      editCommentAction,
      `/comments/${commentId}/edit`,
      { intent: "delete" },
      { cookie, params },
    );
    const late = await submitForm(
      editCommentAction,
      `/comments/${commentId}/edit`,
      { intent: "save", body: "Back again" },
      {
        cookie,
        params,
      },
    );
    expect(late.status).toBe(404);
    const [row] = await getDb().select().from(comments).where(eq(comments.id, commentId));
    expect(row).toMatchObject({ bodyMd: "", status: "removed" });
  });

  it("the edit page starts from the post's own title, body and tags", async () => {
    const { cookie } = await joinAs();
    await publish(cookie, { title: "Another post with other tags", tags: "advocacy, library-cards" });
    const { postId } = await publish(cookie, {
      title: "The post being edited",
      tags: "graphic-novels, teens",
    });
    const page = await callLoader(
      editPostLoader,
      `/posts/${postId}/edit`,
      { postId: String(postId) },
      { cookie },
    );
    expect(page.values).toEqual({
      title: "The post being edited",
      kind: "idea",
      body: "We split the units between us.",
      tags: "graphic-novels, teens",
    });
  });

  it("a post edit keeps the previous title and body, and retags", async () => {
    const { cookie } = await joinAs();
    const { postId } = await publish(cookie, { tags: "booklists" });
    const answer = await submitForm(
      editPostAction,
      `/posts/${postId}/edit`,
      {
        intent: "publish",
        title: "A better title for it",
        kind: "story",
        body: "New body",
        tags: "summer-reading",
      },
      { cookie, params: { postId: String(postId) } },
    );
    expect(answer.status).toBe(302);
    const post = await postRow(postId);
    expect(post).toMatchObject({
      title: "A better title for it",
      slug: "a-better-title-for-it",
      kind: "story",
    });
    const [revision] = await getDb().select().from(revisions).where(eq(revisions.postId, postId));
    expect(revision).toMatchObject({
      title: "Booklists matched to the fourth-grade units",
      bodyMd: "We split the units between us.",
    });
    const thread = await callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) });
    expect(thread.post.tags).toEqual(["summer-reading"]);
  });

  it("keeps tag counts and approved contributions exact through publish, retag and delete", async () => {
    const { cookie, fields } = await joinAs();
    const tagCount = async (name: string) =>
      (await getDb().select({ postCount: tags.postCount }).from(tags).where(eq(tags.name, name)))[0]
        ?.postCount ?? 0;
    const approved = async () =>
      (
        await getDb()
          .select({ count: users.approvedCount })
          .from(users)
          .where(eq(users.username, fields.username))
      )[0]?.count;

    const { postId } = await publish(cookie, { tags: "count-before" });
    expect(await tagCount("count-before")).toBe(1);
    await comment(cookie, postId, "A note");
    expect(await approved()).toBe(2);

    await submitForm(
      editPostAction,
      `/posts/${postId}/edit`,
      { intent: "publish", title: "Still a good title", kind: "idea", body: "Body", tags: "count-after" },
      { cookie, params: { postId: String(postId) } },
    );
    expect(await tagCount("count-before")).toBe(0);
    expect(await tagCount("count-after")).toBe(1);

    await submitForm(
      editPostAction,
      `/posts/${postId}/edit`,
      { intent: "delete" },
      { cookie, params: { postId: String(postId) } },
    );
    expect(await tagCount("count-after")).toBe(0);
    expect(await approved()).toBe(1);
  });

  it("someone else's comment cannot be edited by a member (403), but a moderator may, and it is logged", async () => {
    const author = await joinAs();
    const stranger = await joinAs();
    const moderator = await joinAs();
    await getDb()
      .update(users)
      .set({ role: "moderator" })
      .where(eq(users.username, moderator.fields.username));
    const { postId } = await publish(author.cookie);
    const commentId = commentIdFrom((await comment(author.cookie, postId, "Mine")).location);
    const params = { commentId: String(commentId) };

    const refused = await thrownResponse(
      callLoader(editCommentLoader, `/comments/${commentId}/edit`, params, { cookie: stranger.cookie }),
    );
    expect(refused.status).toBe(403);
    const refusedSave = await submitForm(
      editCommentAction,
      `/comments/${commentId}/edit`,
      { intent: "save", body: "Hijacked" },
      {
        cookie: stranger.cookie,
        params,
      },
    );
    expect(refusedSave.status).toBe(403);
    const [unchanged] = await getDb().select().from(comments).where(eq(comments.id, commentId));
    expect(unchanged?.bodyMd).toBe("Mine");

    const moderated = await submitForm(
      editCommentAction,
      `/comments/${commentId}/edit`,
      { intent: "save", body: "Link removed" },
      {
        cookie: moderator.cookie,
        params,
      },
    );
    expect(moderated.status).toBe(302);
    const log = await getDb()
      .select()
      .from(moderationActions)
      .where(and(eq(moderationActions.commentId, commentId), eq(moderationActions.action, "edit")));
    expect(log).toHaveLength(1);
  });

  it("deleting a comment with replies keeps the replies under a [deleted] placeholder", async () => {
    const author = await joinAs();
    const replier = await joinAs();
    const { postId } = await publish(author.cookie);
    const parentId = commentIdFrom((await comment(author.cookie, postId, "Parent text")).location);
    const replyId = commentIdFrom(
      (await comment(replier.cookie, postId, "Child text", { parentId: String(parentId) })).location,
    );
    const lonelyId = commentIdFrom((await comment(author.cookie, postId, "Nobody answered this")).location);

    for (const id of [parentId, lonelyId]) {
      const answer = await submitForm(
        editCommentAction,
        `/comments/${id}/edit`,
        { intent: "delete" },
        {
          cookie: author.cookie,
          params: { commentId: String(id) },
        },
      );
      expect(answer.status).toBe(302);
    }
    const thread = await callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) });
    expect(thread.comments.map((node) => node.comment.id)).toEqual([parentId]);
    expect(thread.comments[0]!.comment).toMatchObject({ authorDisplayName: "[deleted]", bodyHtml: "" });
    expect(JSON.stringify(thread)).not.toContain("Parent text");
    expect(thread.comments[0]!.replies.map((node) => node.comment.id)).toEqual([replyId]);
    expect((await postRow(postId)).commentCount).toBe(1);
  });

  it("an author deletes their post while nobody else has replied, and not after", async () => {
    const author = await joinAs();
    const other = await joinAs();
    const lonely = await publish(author.cookie, { title: "Nobody will answer this" });
    await comment(author.cookie, lonely.postId, "My own note");
    const deleted = await submitForm(
      editPostAction,
      `/posts/${lonely.postId}/edit`,
      { intent: "delete" },
      {
        cookie: author.cookie,
        params: { postId: String(lonely.postId) },
      },
    );
    expect(deleted.status).toBe(302);
    expect((await postRow(lonely.postId)).status).toBe("removed");
    const gone = await thrownResponse(
      callLoader(threadLoader, `/posts/${lonely.postId}`, { postId: String(lonely.postId) }),
    );
    expect(gone.status).toBe(404);

    const answered = await publish(author.cookie, { title: "Someone will answer this" });
    await comment(other.cookie, answered.postId, "An answer");
    const refused = await submitForm<{ formError: string }>(
      editPostAction,
      `/posts/${answered.postId}/edit`,
      { intent: "delete" },
      {
        cookie: author.cookie,
        params: { postId: String(answered.postId) },
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.data?.formError).toMatch(/Others have replied/);
    expect((await postRow(answered.postId)).status).toBe("published");
  });
});
