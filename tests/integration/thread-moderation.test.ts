import { and, desc, eq, ne } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { moderationActions, notifications, posts, tags, users, type UserRole } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { MAX_PINNED_POSTS } from "~/models/posts.server";
import { saveModerationPolicy } from "~/models/settings.server";
import { loader as homeLoader } from "~/routes/_index";
import { action as threadAction, loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { action as newPostAction } from "~/routes/posts.new";
import { joinAs } from "../support/accounts";
import { callLoader, submitForm, thrownResponse } from "../support/requests";

// Every member here is trusted from the start, so posts and comments publish at
// once and only the moderators' actions move them.
beforeAll(async () => {
  await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
});

let sequence = 0;
const unique = () => `${process.pid.toString(36)}-${++sequence}`;

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

async function publish(cookie: string, fields: Record<string, string> = {}) {
  const answer = await submitForm(
    newPostAction,
    "/posts/new",
    {
      intent: "publish",
      title: "Class visits that teachers ask for again",
      kind: "story",
      body: "We booked every second-grade class.",
      tags: "",
      submissionKey: `thread-moderation-${unique()}-abcdefgh`,
      ...fields,
    },
    { cookie },
  );
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  return Number(/^\/posts\/(\d+)\//.exec(answer.location ?? "")?.[1]);
}

type ThreadAnswer = { form: string; errors: Record<string, string[]>; formError: string | null };

function moderate(cookie: string | undefined, postId: number, intent: string, reason = "") {
  return submitForm<ThreadAnswer>(
    threadAction,
    `/posts/${postId}`,
    { intent, reason },
    { cookie, params: { postId: String(postId) } },
  );
}

function comment(cookie: string, postId: number, body: string) {
  return submitForm<ThreadAnswer>(
    threadAction,
    `/posts/${postId}`,
    { body, submissionKey: `thread-moderation-${unique()}-abcdefgh` },
    { cookie, params: { postId: String(postId) } },
  );
}

function openThread(postId: number, cookie?: string) {
  return callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) }, { cookie });
}

async function postRow(postId: number) {
  const [row] = await getDb().select().from(posts).where(eq(posts.id, postId));
  return row!;
}

async function tagCount(name: string) {
  const [row] = await getDb().select({ postCount: tags.postCount }).from(tags).where(eq(tags.name, name));
  return row?.postCount;
}

async function logOf(postId: number) {
  return getDb()
    .select()
    .from(moderationActions)
    .where(eq(moderationActions.postId, postId))
    .orderBy(desc(moderationActions.id));
}

async function notificationsOf(userId: number) {
  return getDb()
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id));
}

/** Every post id on the home page, page after page, and the pinned ones above the first. */
async function readHome(path = "/") {
  const first = await callLoader(homeLoader, path);
  const listed = first.posts.map((post) => post.id);
  let cursor = first.nextCursor;
  while (cursor) {
    const separator = path.includes("?") ? "&" : "?";
    const page = await callLoader(homeLoader, `${path}${separator}cursor=${cursor}`);
    expect(page.pinned).toEqual([]);
    listed.push(...page.posts.map((post) => post.id));
    cursor = page.nextCursor;
  }
  return { pinned: first.pinned.map((post) => post.id), listed };
}

describe("hiding and restoring a post", () => {
  it("refuses a member with 403 and changes nothing", async () => {
    const author = await account();
    const postId = await publish(author.cookie);
    const member = await account();
    for (const intent of ["hide", "lock", "pin"]) {
      const answer = await moderate(member.cookie, postId, intent, "I don't like it");
      expect(answer.status, intent).toBe(403);
      expect(answer.text).toBe("Only moderators may do that.");
    }
    // Not even on their own post.
    expect((await moderate(author.cookie, postId, "hide")).status).toBe(403);
    expect(await postRow(postId)).toMatchObject({ status: "published", locked: false, pinned: false });
    expect(await logOf(postId)).toEqual([]);
  });

  it("sends a visitor to log in", async () => {
    const author = await account();
    const postId = await publish(author.cookie);
    const answer = await moderate(undefined, postId, "hide");
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(`/login?${new URLSearchParams({ redirectTo: `/posts/${postId}` })}`);
    expect((await postRow(postId)).status).toBe("published");
  });

  it("hides a post from everyone but moderators, drops it from the lists and its tags, logs it and tells the author; restore brings it all back", async () => {
    const tag = `hide-${unique()}`;
    const author = await account();
    const postId = await publish(author.cookie, { tags: tag });
    const moderator = await account("moderator");
    const member = await account();
    expect(await tagCount(tag)).toBe(1);

    const hidden = await moderate(moderator.cookie, postId, "hide", "  Off-topic for this forum  ");
    expect(hidden.status).toBe(302);
    expect(hidden.location).toBe(`/posts/${postId}/class-visits-that-teachers-ask-for-again`);

    expect((await postRow(postId)).status).toBe("hidden");
    for (const cookie of [undefined, member.cookie, author.cookie]) {
      expect((await thrownResponse(openThread(postId, cookie))).status).toBe(404);
    }
    // Moderators still read it, so they can restore it.
    const asModerator = await openThread(postId, moderator.cookie);
    expect(asModerator.post.status).toBe("hidden");
    expect((await readHome()).listed).not.toContain(postId);
    expect(await tagCount(tag)).toBe(0);

    const [hideLog] = await logOf(postId);
    expect(hideLog).toMatchObject({
      action: "hide",
      actorId: moderator.id,
      targetUserId: author.id,
      reason: "Off-topic for this forum",
    });
    const [hideNotice] = await notificationsOf(author.id);
    expect(hideNotice).toMatchObject({ kind: "moderation", postId, actorId: moderator.id });
    expect(hideNotice?.message).toMatch(/was hidden by a moderator: Off-topic for this forum/);

    const restored = await moderate(moderator.cookie, postId, "restore");
    expect(restored.status).toBe(302);
    expect(restored.location).toBe(`/posts/${postId}/class-visits-that-teachers-ask-for-again`);
    expect((await postRow(postId)).status).toBe("published");
    expect((await openThread(postId)).post.status).toBe("published");
    expect((await readHome()).listed).toContain(postId);
    expect(await tagCount(tag)).toBe(1);
    const [restoreLog] = await logOf(postId);
    expect(restoreLog).toMatchObject({ action: "restore", actorId: moderator.id, targetUserId: author.id });
    const [restoreNotice] = await notificationsOf(author.id);
    expect(restoreNotice).toMatchObject({ kind: "moderation", postId });
    expect(restoreNotice?.message).toMatch(/restored/);
  });

  it("answers 409 to an action that was already done, and logs it once", async () => {
    const tag = `twice-${unique()}`;
    const author = await account();
    const postId = await publish(author.cookie, { tags: tag });
    const first = await account("moderator");
    const second = await account("moderator");

    expect((await moderate(first.cookie, postId, "hide")).status).toBe(302);
    const again = await moderate(second.cookie, postId, "hide", "Spam");
    expect(again.status).toBe(409);
    expect(again.data?.formError).toBe("Someone else already did that.");
    expect(await tagCount(tag)).toBe(0);
    expect((await logOf(postId)).map((row) => row.action)).toEqual(["hide"]);

    for (const [intent, undo] of [
      ["lock", "unlock"],
      ["pin", "unpin"],
    ] as const) {
      expect((await moderate(first.cookie, postId, undo)).status, `${undo} before ${intent}`).toBe(409);
      expect((await moderate(first.cookie, postId, intent)).status).toBe(302);
      expect((await moderate(second.cookie, postId, intent)).status, `${intent} twice`).toBe(409);
      expect((await moderate(first.cookie, postId, undo)).status).toBe(302);
    }
    expect((await moderate(first.cookie, postId, "restore")).status).toBe(302);
    expect((await moderate(second.cookie, postId, "restore")).status).toBe(409);
  });

  it("lets exactly one of two moderators hiding at the same moment win", async () => {
    const tag = `race-${unique()}`;
    const author = await account();
    const postId = await publish(author.cookie, { tags: tag });
    const [first, second] = [await account("moderator"), await account("moderator")];
    const answers = await Promise.all([
      moderate(first.cookie, postId, "hide"),
      moderate(second.cookie, postId, "hide"),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([302, 409]);
    expect(await tagCount(tag)).toBe(0);
    expect(await logOf(postId)).toHaveLength(1);
    expect((await notificationsOf(author.id)).filter((row) => row.postId === postId)).toHaveLength(1);
  });

  it("answers 400 to an unknown action and to an overlong reason", async () => {
    const author = await account();
    const postId = await publish(author.cookie);
    const moderator = await account("moderator");
    const unknown = await moderate(moderator.cookie, postId, "delete-everything");
    expect(unknown.status).toBe(400);
    expect(unknown.text).toBe("Unknown action.");
    const overlong = await moderate(moderator.cookie, postId, "hide", "x".repeat(501));
    expect(overlong.status).toBe(400);
    expect(overlong.data?.errors.reason?.join(" ")).toMatch(/500 characters/);
    expect((await postRow(postId)).status).toBe("published");
    expect(await logOf(postId)).toEqual([]);
  });
});

describe("locking a thread", () => {
  it("refuses new comments while locked, logs the lock and the unlock, and takes comments again once unlocked", async () => {
    const author = await account();
    const postId = await publish(author.cookie);
    const moderator = await account("moderator");
    const member = await account();

    const locked = await moderate(moderator.cookie, postId, "lock", "Cooling off");
    expect(locked.status).toBe(302);
    expect((await openThread(postId)).post.locked).toBe(true);
    const [lockLog] = await logOf(postId);
    expect(lockLog).toMatchObject({
      action: "lock",
      actorId: moderator.id,
      targetUserId: author.id,
      reason: "Cooling off",
    });

    const refused = await comment(member.cookie, postId, "One more thing");
    expect(refused.status).toBe(403);
    expect(refused.data?.formError).toMatch(/locked/);

    expect((await moderate(moderator.cookie, postId, "unlock")).status).toBe(302);
    expect((await logOf(postId))[0]).toMatchObject({ action: "unlock", actorId: moderator.id });
    expect((await openThread(postId)).post.locked).toBe(false);
    expect((await comment(member.cookie, postId, "One more thing")).status).toBe(302);
  });
});

describe("pinning a post", () => {
  it("shows a pinned post above the first page of the home list and nowhere else in it; unpin puts it back", async () => {
    const author = await account();
    const postId = await publish(author.cookie, { kind: "idea" });
    // A newer post, so the pinned one is not simply the newest anyway.
    await publish((await account()).cookie);
    const moderator = await account("moderator");

    expect((await moderate(moderator.cookie, postId, "pin")).status).toBe(302);
    expect((await postRow(postId)).pinned).toBe(true);
    expect((await openThread(postId)).post.pinned).toBe(true);
    expect((await logOf(postId))[0]).toMatchObject({ action: "pin", actorId: moderator.id });

    const home = await readHome();
    expect(home.pinned).toContain(postId);
    expect(home.listed).not.toContain(postId);
    // A list of one kind keeps pinned posts in their place.
    const ideas = await readHome("/?kind=idea");
    expect(ideas.pinned).toEqual([]);
    expect(ideas.listed).toContain(postId);

    expect((await moderate(moderator.cookie, postId, "unpin")).status).toBe(302);
    expect((await logOf(postId))[0]).toMatchObject({ action: "unpin", actorId: moderator.id });
    const after = await readHome();
    expect(after.pinned).not.toContain(postId);
    expect(after.listed.filter((id) => id === postId)).toHaveLength(1);
  });

  it("pages through the home list without repeating or losing a post around the pinned ones", async () => {
    const moderator = await account("moderator");
    const created: number[] = [];
    for (let index = 0; index < 23; index++) created.push(await publish(moderator.cookie));
    const toPin = [created[2]!, created[21]!];
    for (const postId of toPin) expect((await moderate(moderator.cookie, postId, "pin")).status).toBe(302);

    const home = await readHome();
    expect(home.pinned).toEqual(expect.arrayContaining(toPin));
    const everything = [...home.pinned, ...home.listed];
    expect(new Set(everything).size).toBe(everything.length);
    expect(everything).toEqual(expect.arrayContaining(created));

    for (const postId of toPin) expect((await moderate(moderator.cookie, postId, "unpin")).status).toBe(302);
  });

  it(`refuses to pin more than ${MAX_PINNED_POSTS} posts at once, so none goes missing from the home page`, async () => {
    const moderator = await account("moderator");
    const pinnedNow = await getDb()
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.pinned, true), ne(posts.status, "removed")));
    const pinned: number[] = [];
    for (let index = pinnedNow.length; index < MAX_PINNED_POSTS; index++) {
      const postId = await publish(moderator.cookie);
      expect((await moderate(moderator.cookie, postId, "pin")).status).toBe(302);
      pinned.push(postId);
    }
    const oneTooMany = await publish(moderator.cookie);
    const refused = await moderate(moderator.cookie, oneTooMany, "pin");
    expect(refused.status).toBe(409);
    expect(refused.data?.formError).toMatch(/At most 5 posts can be pinned/);
    expect((await postRow(oneTooMany)).pinned).toBe(false);
    expect((await readHome()).pinned).toHaveLength(MAX_PINNED_POSTS);

    for (const postId of pinned) expect((await moderate(moderator.cookie, postId, "unpin")).status).toBe(302);
    expect((await moderate(moderator.cookie, oneTooMany, "pin")).status).toBe(302);
    expect((await moderate(moderator.cookie, oneTooMany, "unpin")).status).toBe(302);
  });
});
