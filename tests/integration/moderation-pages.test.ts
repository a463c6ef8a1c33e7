import type { LoaderFunctionArgs } from "@remix-run/node";
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { comments, moderationActions, notifications, users, type UserRole } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { countUserSessions } from "~/models/sessions.server";
import { getModerationPolicy, saveModerationPolicy } from "~/models/settings.server";
import { action as settingsAction, loader as settingsLoader } from "~/routes/admin.settings";
import { action as queueAction, loader as queueLoader } from "~/routes/mod._index";
import { loader as logLoader } from "~/routes/mod.log";
import { action as threadAction, loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { action as newPostAction } from "~/routes/posts.new";
import { loader as rootLoader } from "~/root";
import { loader as accountSettingsLoader } from "~/routes/settings";
import { joinAs } from "../support/accounts";
import { callLoader, submitForm, TEST_CLIENT_IP, thrownResponse } from "../support/requests";

// The default policy: a member's writing is held until two of their
// contributions were approved; moderators are never held.
beforeAll(async () => {
  await saveModerationPolicy(defaultModerationPolicy, null);
});

let keySequence = 0;
const submissionKey = () => `moderation-key-${process.pid}-${++keySequence}-abcdefgh`;

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

async function publish(cookie: string, title = "Class visits that worked this spring") {
  const answer = await submitForm(
    newPostAction,
    "/posts/new",
    { intent: "publish", title, kind: "discussion", body: "Tell us about yours.", tags: "" },
    { cookie },
  );
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  return Number(/^\/posts\/(\d+)\//.exec(answer.location ?? "")?.[1]);
}

async function comment(cookie: string, postId: number, body: string, parentId?: number) {
  const answer = await submitForm(
    threadAction,
    `/posts/${postId}`,
    { body, submissionKey: submissionKey(), ...(parentId ? { parentId: String(parentId) } : {}) },
    { cookie, params: { postId: String(postId) } },
  );
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  return Number(/#comment-(\d+)$/.exec(answer.location ?? "")?.[1]);
}

/** A thread started by a moderator (published at once) and a newcomer's held comment on it. */
async function heldComment(body = "Our third graders loved the bookmobile.") {
  const moderator = await account("moderator");
  const postId = await publish(moderator.cookie);
  const member = await account();
  const commentId = await comment(member.cookie, postId, body);
  return { moderator, member, postId, commentId };
}

type QueueAnswer = {
  outcome: "done" | "conflict" | "refused";
  message?: string;
  target?: string;
  errors?: Record<string, string[] | undefined>;
  values?: { reason: string; items: string[] };
};

function decideOn(cookie: string, fields: Record<string, string>) {
  return submitForm<QueueAnswer>(queueAction, "/mod", fields, { cookie });
}

/** A form with repeated names (several ticked checkboxes), which a plain record cannot carry. */
async function submitBulk(cookie: string, pairs: [string, string][]) {
  const request = new Request("http://localhost/mod", {
    method: "POST",
    body: new URLSearchParams(pairs),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
  });
  const result = (await queueAction({
    request,
    params: {},
    context: { cspNonce: "test-nonce", clientIp: TEST_CLIENT_IP },
  })) as unknown as { data: QueueAnswer; init: ResponseInit | null };
  return { status: result.init?.status ?? 200, data: result.data };
}

async function queueFor(cookie: string) {
  return callLoader(queueLoader, "/mod", {}, { cookie });
}

type ThreadNode = { comment: { id: number }; replies: ThreadNode[] };
const flatten = (nodes: ThreadNode[]): number[] =>
  nodes.flatMap((node) => [node.comment.id, ...flatten(node.replies)]);

async function visibleToVisitor(postId: number) {
  const thread = await callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) });
  return { ids: flatten(thread.comments as ThreadNode[]), commentCount: thread.post.commentCount };
}

async function commentStatus(id: number) {
  const [row] = await getDb().select({ status: comments.status }).from(comments).where(eq(comments.id, id));
  return row?.status;
}

async function notificationsOf(userId: number) {
  return getDb()
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id));
}

type LogPage = {
  actions: { id: number; action: string; actorUsername: string | null; targetUsername: string | null }[];
  errors: Record<string, string[] | undefined>;
  nextCursor: string | null;
  filters: Record<string, string>;
};

async function logPage(cookie: string, query = "") {
  const result = (await callLoader(logLoader, `/mod/log${query}`, {}, { cookie })) as unknown as {
    data: LogPage;
    init: ResponseInit | null;
  };
  return { status: result.init?.status ?? 200, page: result.data };
}

describe("who may moderate", () => {
  const pages: [string, (args: LoaderFunctionArgs) => Promise<unknown>][] = [
    ["/mod", queueLoader],
    ["/mod/log", logLoader],
    ["/admin/settings", settingsLoader],
  ];

  it.each(pages)("sends a visitor from %s to log in and back", async (path, loader) => {
    const response = await thrownResponse(callLoader(loader, path));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
  });

  it.each(pages)("refuses %s to a member with 403", async (path, loader) => {
    const member = await account();
    const response = await thrownResponse(callLoader(loader, path, {}, { cookie: member.cookie }));
    expect(response.status).toBe(403);
  });

  it("refuses a member's decision and a moderator's policy change with 403", async () => {
    const { member, commentId } = await heldComment();
    const refused = await decideOn(member.cookie, {
      intent: "approve",
      kind: "comment",
      id: String(commentId),
    });
    expect(refused.status).toBe(403);
    expect(await commentStatus(commentId)).toBe("pending");

    const moderator = await account("moderator");
    const page = await thrownResponse(
      callLoader(settingsLoader, "/admin/settings", {}, { cookie: moderator.cookie }),
    );
    expect(page.status).toBe(403);
    const save = await submitForm(
      settingsAction,
      "/admin/settings",
      { trustThreshold: "0", linkLimit: "3", blockedWords: "" },
      { cookie: moderator.cookie },
    );
    expect(save.status).toBe(403);
    expect((await getModerationPolicy()).trustThreshold).toBe(2);
  });

  it("counts waiting items in the header for moderators only", async () => {
    const { moderator, member } = await heldComment();
    const forModerator = await callLoader(rootLoader, "/", {}, { cookie: moderator.cookie });
    expect(forModerator.pendingCount).toBeGreaterThanOrEqual(1);
    const forMember = await callLoader(rootLoader, "/", {}, { cookie: member.cookie });
    expect(forMember.pendingCount).toBeNull();
    expect((await callLoader(rootLoader, "/")).pendingCount).toBeNull();
  });

  it("links moderators to the queue and the log from /settings, and admins to the site settings", async () => {
    const moderator = await account("moderator");
    const admin = await account("admin");
    const member = await account();
    expect(
      await callLoader(accountSettingsLoader, "/settings", {}, { cookie: moderator.cookie }),
    ).toMatchObject({
      isModerator: true,
      isAdmin: false,
    });
    expect(await callLoader(accountSettingsLoader, "/settings", {}, { cookie: admin.cookie })).toMatchObject({
      isModerator: true,
      isAdmin: true,
    });
    expect(await callLoader(accountSettingsLoader, "/settings", {}, { cookie: member.cookie })).toMatchObject(
      {
        isModerator: false,
      },
    );
  });
});

describe("the moderation queue", () => {
  it("lists a held comment with its thread, the comment it answers and the author's record", async () => {
    const moderator = await account("moderator");
    const postId = await publish(moderator.cookie, "Summer reading kickoff at nine schools");
    const parentId = await comment(moderator.cookie, postId, "Which grades did you visit *first*?");
    const member = await account();
    const commentId = await comment(member.cookie, postId, "We started with **kindergarten**.", parentId);

    const queue = await queueFor(moderator.cookie);
    const item = queue.items
      .filter((entry) => entry.kind === "comment")
      .find((entry) => entry.id === commentId);
    expect(item).toMatchObject({
      postId,
      postTitle: "Summer reading kickoff at nine schools",
      parentId,
      parentAuthorDisplayName: moderator.fields.displayName,
      authorUsername: member.fields.username,
      authorDisplayName: member.fields.displayName,
      authorLibraryType: "public",
      authorApprovedCount: 0,
      authorRejectedCount: 0,
    });
    expect(item?.bodyHtml).toContain("<strong>kindergarten</strong>");
    expect(item?.parentBodyHtml).toContain("<em>first</em>");
    expect(queue.waiting).toBeGreaterThanOrEqual(queue.items.length);
    // Oldest first.
    const times = queue.items.map((entry) => entry.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("Approve publishes the comment to visitors, counts it, logs it and tells the author", async () => {
    const { moderator, member, postId, commentId } = await heldComment("The bookmobile was a hit.");
    const before = await visibleToVisitor(postId);
    expect(before.ids).not.toContain(commentId);

    const answer = await decideOn(moderator.cookie, {
      intent: "approve",
      kind: "comment",
      id: String(commentId),
      reason: "",
    });
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ outcome: "done", message: "Approved." });

    const after = await visibleToVisitor(postId);
    expect(after.ids).toContain(commentId);
    expect(after.commentCount).toBe(before.commentCount + 1);
    const queue = await queueFor(moderator.cookie);
    expect(queue.items.some((entry) => entry.kind === "comment" && entry.id === commentId)).toBe(false);

    const logged = await getDb()
      .select()
      .from(moderationActions)
      .where(eq(moderationActions.commentId, commentId));
    expect(logged).toMatchObject([
      { action: "approve", actorId: moderator.id, targetUserId: member.id, postId, reason: "" },
    ]);
    const [notice] = await notificationsOf(member.id);
    expect(notice).toMatchObject({ kind: "approved", commentId, actorId: moderator.id });
    const [author] = await getDb().select().from(users).where(eq(users.id, member.id));
    expect(author?.approvedCount).toBe(1);
  });

  it("Reject asks for a reason, keeps what was typed, and sends the reason to the author", async () => {
    const { moderator, member, commentId } = await heldComment();

    const missing = await decideOn(moderator.cookie, {
      intent: "reject",
      kind: "comment",
      id: String(commentId),
      reason: "   ",
    });
    expect(missing.status).toBe(400);
    expect(missing.data).toMatchObject({
      outcome: "refused",
      target: `comment:${commentId}`,
      errors: { reason: ["Give the author a reason."] },
      values: { reason: "   " },
    });

    const tooLong = "Off topic. ".repeat(60);
    const refused = await decideOn(moderator.cookie, {
      intent: "reject",
      kind: "comment",
      id: String(commentId),
      reason: tooLong,
    });
    expect(refused.status).toBe(400);
    expect(refused.data?.errors?.reason?.[0]).toMatch(/500 characters/);
    expect(refused.data?.values?.reason).toBe(tooLong);
    expect(await commentStatus(commentId)).toBe("pending");

    const reason = "Please keep the thread on class visits.";
    const answer = await decideOn(moderator.cookie, {
      intent: "reject",
      kind: "comment",
      id: String(commentId),
      reason,
    });
    expect(answer.status).toBe(200);
    expect(await commentStatus(commentId)).toBe("rejected");
    const [notice] = await notificationsOf(member.id);
    expect(notice?.kind).toBe("rejected");
    expect(notice?.message).toContain(reason);
  });

  it("Spam on two of a member's items suspends them and ends their sessions", async () => {
    const { moderator, member, postId, commentId } = await heldComment("Cheap pills, great prices");
    const second = await comment(member.cookie, postId, "Visit my shop for cheap pills");
    expect(await countUserSessions(member.id)).toBeGreaterThan(0);

    for (const id of [commentId, second]) {
      const answer = await decideOn(moderator.cookie, { intent: "spam", kind: "comment", id: String(id) });
      expect(answer.status).toBe(200);
      expect(answer.data?.message).toBe("Marked as spam.");
    }

    expect(await commentStatus(commentId)).toBe("spam");
    expect(await commentStatus(second)).toBe("spam");
    const [author] = await getDb().select().from(users).where(eq(users.id, member.id));
    expect(author?.status).toBe("suspended");
    expect(await countUserSessions(member.id)).toBe(0);
    // Their cookie no longer signs them in.
    const response = await thrownResponse(
      callLoader(accountSettingsLoader, "/settings", {}, { cookie: member.cookie }),
    );
    expect(response.headers.get("Location")).toMatch(/^\/login/);

    const { page } = await logPage(moderator.cookie, `?member=${member.fields.username}`);
    expect(page.actions.map((entry) => [entry.action, entry.actorUsername])).toEqual([
      ["suspend", null],
      ["spam", moderator.fields.username],
      ["spam", moderator.fields.username],
    ]);
  });

  it("answers 409 when the item was already handled by someone else", async () => {
    const { moderator, commentId } = await heldComment();
    const other = await account("moderator");
    const first = await decideOn(moderator.cookie, {
      intent: "approve",
      kind: "comment",
      id: String(commentId),
    });
    expect(first.status).toBe(200);

    const second = await decideOn(other.cookie, {
      intent: "reject",
      kind: "comment",
      id: String(commentId),
      reason: "Not for this forum.",
    });
    expect(second.status).toBe(409);
    expect(second.data).toEqual({ outcome: "conflict", message: "Someone else already handled this item." });
    expect(await commentStatus(commentId)).toBe("approved");
    const logged = await getDb()
      .select()
      .from(moderationActions)
      .where(eq(moderationActions.commentId, commentId));
    expect(logged).toHaveLength(1);
  });

  it("approves several selected items at once and says how many were already handled", async () => {
    const { moderator, member, postId, commentId } = await heldComment("First of two");
    const second = await comment(member.cookie, postId, "Second of two");
    const third = await comment(member.cookie, postId, "Third, handled elsewhere");
    await decideOn(moderator.cookie, { intent: "approve", kind: "comment", id: String(third) });

    const answer = await submitBulk(moderator.cookie, [
      ["intent", "bulk-approve"],
      ["reason", ""],
      ["items", `comment:${commentId}`],
      ["items", `comment:${second}`],
      ["items", `comment:${third}`],
    ]);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({
      outcome: "done",
      message: "2 items approved. 1 was already handled by someone else.",
    });
    expect(await commentStatus(commentId)).toBe("approved");
    expect(await commentStatus(second)).toBe("approved");
    expect((await visibleToVisitor(postId)).ids).toEqual(expect.arrayContaining([commentId, second, third]));
  });

  it("refuses a bulk rejection without a reason or a selection, keeping the ticked items", async () => {
    const { moderator, commentId } = await heldComment();
    const withoutReason = await submitBulk(moderator.cookie, [
      ["intent", "bulk-reject"],
      ["reason", ""],
      ["items", `comment:${commentId}`],
    ]);
    expect(withoutReason.status).toBe(400);
    expect(withoutReason.data).toMatchObject({
      target: "bulk",
      errors: { reason: ["Give the author a reason."] },
      values: { items: [`comment:${commentId}`] },
    });
    const nothingSelected = await submitBulk(moderator.cookie, [
      ["intent", "bulk-approve"],
      ["reason", ""],
    ]);
    expect(nothingSelected.status).toBe(400);
    expect(nothingSelected.data.errors?.items).toEqual(["Select at least one item first."]);
    expect(await commentStatus(commentId)).toBe("pending");
  });

  it.each([
    ["an unknown intent", { intent: "delete-everything", kind: "comment", id: "1" }, "Unknown action."],
    ["no intent", { kind: "comment", id: "1" }, "Unknown action."],
    ["an unknown kind", { intent: "approve", kind: "user", id: "1" }, "That item is not in the queue."],
    ["a junk id", { intent: "approve", kind: "post", id: "1e3" }, "That item is not in the queue."],
  ])("answers %s with 400", async (_case, fields, message) => {
    const moderator = await account("moderator");
    const answer = await decideOn(moderator.cookie, fields);
    expect(answer.status).toBe(400);
    expect(answer.text).toBe(message);
  });

  it("answers a junk bulk selection with 400", async () => {
    const moderator = await account("moderator");
    const response = await thrownResponse(
      submitBulk(moderator.cookie, [
        ["intent", "bulk-spam"],
        ["items", "user:3"],
      ]),
    );
    expect(response.status).toBe(400);
  });
});

describe("the moderation log", () => {
  it("lists actions newest first and filters them by action, moderator and member", async () => {
    const { moderator, member, postId, commentId } = await heldComment("One for approval");
    const rejected = await comment(member.cookie, postId, "One for rejection");
    await decideOn(moderator.cookie, { intent: "approve", kind: "comment", id: String(commentId) });
    await decideOn(moderator.cookie, {
      intent: "reject",
      kind: "comment",
      id: String(rejected),
      reason: "Duplicate",
    });

    const everything = await logPage(moderator.cookie);
    expect(everything.status).toBe(200);
    const ids = everything.page.actions.map((entry) => entry.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(everything.page.actions.slice(0, 2).map((entry) => entry.action)).toEqual(["reject", "approve"]);

    const rejections = await logPage(moderator.cookie, "?action=reject");
    expect(rejections.page.actions.length).toBeGreaterThan(0);
    expect(rejections.page.actions.every((entry) => entry.action === "reject")).toBe(true);

    const theirs = await logPage(
      moderator.cookie,
      `?moderator=${moderator.fields.username}&member=${encodeURIComponent(` @${member.fields.username.toUpperCase()}`)}&action=`,
    );
    expect(theirs.page.filters).toEqual({
      moderator: moderator.fields.username,
      member: member.fields.username,
      action: "",
    });
    expect(theirs.page.actions.map((entry) => entry.action)).toEqual(["reject", "approve"]);
  });

  it("pages through a long log with a cursor that keeps the filters", async () => {
    const moderator = await account("moderator");
    await getDb()
      .insert(moderationActions)
      .values(
        Array.from({ length: 55 }, (_, index) => ({
          actorId: moderator.id,
          action: "lock" as const,
          reason: `#${index}`,
        })),
      );

    const first = await logPage(moderator.cookie, `?action=lock&moderator=${moderator.fields.username}`);
    expect(first.page.actions).toHaveLength(50);
    expect(first.page.nextCursor).not.toBeNull();
    const second = await logPage(
      moderator.cookie,
      `?action=lock&moderator=${moderator.fields.username}&cursor=${first.page.nextCursor}`,
    );
    expect(second.page.actions).toHaveLength(5);
    expect(second.page.nextCursor).toBeNull();
    const seen = new Set([...first.page.actions, ...second.page.actions].map((entry) => entry.id));
    expect(seen.size).toBe(55);
  });

  it.each([
    ["a junk username", "?moderator=Dev%20Patel!", "moderator"],
    ["a username too long", `?member=${"a".repeat(31)}`, "member"],
    ["an unknown action", "?action=explode", "action"],
  ])("answers %s with 400 and a message beside the filter", async (_case, query, field) => {
    const moderator = await account("moderator");
    const { status, page } = await logPage(moderator.cookie, query);
    expect(status).toBe(400);
    expect(page.errors[field]?.length).toBe(1);
    expect(page.actions).toEqual([]);
  });

  it("answers a junk cursor with 400", async () => {
    const moderator = await account("moderator");
    const response = await thrownResponse(
      callLoader(logLoader, "/mod/log?cursor=not-ours", {}, { cookie: moderator.cookie }),
    );
    expect(response.status).toBe(400);
  });
});

describe("the site settings", () => {
  it("an admin saves a policy whose blocked words hold even a trusted member's comment", async () => {
    const admin = await account("admin");
    const before = await callLoader(settingsLoader, "/admin/settings", {}, { cookie: admin.cookie });
    expect(before.policy).toEqual(defaultModerationPolicy);
    expect(before.saved).toBe(false);

    const saved = await submitForm(
      settingsAction,
      "/admin/settings",
      { trustThreshold: " 2 ", linkLimit: "3", blockedWords: "  Casino \n\ncasino\r\nfree money\n" },
      { cookie: admin.cookie },
    );
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/admin/settings?saved=1");
    try {
      expect(await getModerationPolicy()).toEqual({
        trustThreshold: 2,
        linkLimit: 3,
        blockedWords: ["Casino", "free money"],
        holdEverything: false,
      });
      const after = await callLoader(settingsLoader, "/admin/settings?saved=1", {}, { cookie: admin.cookie });
      expect(after.saved).toBe(true);
      const [logged] = await getDb()
        .select()
        .from(moderationActions)
        .where(and(eq(moderationActions.action, "change_settings"), eq(moderationActions.actorId, admin.id)));
      expect(logged?.details).toMatchObject({ after: { blockedWords: ["Casino", "free money"] } });

      // The member earns trust through the queue: two approvals.
      const { moderator, member, postId, commentId } = await heldComment("My first comment");
      const second = await comment(member.cookie, postId, "My second comment");
      for (const id of [commentId, second]) {
        await decideOn(moderator.cookie, { intent: "approve", kind: "comment", id: String(id) });
      }
      const trusted = await comment(member.cookie, postId, "Now I am trusted");
      expect(await commentStatus(trusted)).toBe("approved");
      const blocked = await comment(member.cookie, postId, "Our CASINO night raised $400 for books");
      expect(await commentStatus(blocked)).toBe("pending");
      const queue = await queueFor(moderator.cookie);
      expect(queue.items.some((entry) => entry.kind === "comment" && entry.id === blocked)).toBe(true);
    } finally {
      await saveModerationPolicy(defaultModerationPolicy, null);
    }
  });

  it("saves 'Hold every post and comment for review' from its checkbox", async () => {
    const admin = await account("admin");
    try {
      const saved = await submitForm(
        settingsAction,
        "/admin/settings",
        { trustThreshold: "0", linkLimit: "5", blockedWords: "", holdEverything: "on" },
        { cookie: admin.cookie },
      );
      expect(saved.status).toBe(302);
      expect(await getModerationPolicy()).toMatchObject({
        trustThreshold: 0,
        linkLimit: 5,
        holdEverything: true,
      });
    } finally {
      await saveModerationPolicy(defaultModerationPolicy, null);
    }
  });

  it("refuses invalid numbers and words with 400, a message beside each field and the values kept", async () => {
    const admin = await account("admin");
    const fields = {
      trustThreshold: "two",
      linkLimit: "0",
      blockedWords: `ok\n${"x".repeat(101)}`,
      holdEverything: "on",
    };
    const answer = await submitForm<{
      errors: Record<string, string[] | undefined>;
      values: Record<string, unknown>;
    }>(settingsAction, "/admin/settings", fields, { cookie: admin.cookie });
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toEqual({
      trustThreshold: ["Enter a whole number from 0 to 1,000."],
      linkLimit: ["Enter a whole number from 1 to 1,000."],
      blockedWords: [expect.stringMatching(/100 characters/)],
    });
    expect(answer.data?.values).toEqual({ ...fields, holdEverything: true });
    expect(await getModerationPolicy()).toEqual(defaultModerationPolicy);

    const fraction = await submitForm<{ errors: Record<string, string[] | undefined> }>(
      settingsAction,
      "/admin/settings",
      { trustThreshold: "2.5", linkLimit: "3", blockedWords: "" },
      { cookie: admin.cookie },
    );
    expect(fraction.status).toBe(400);
    expect(Object.keys(fraction.data?.errors ?? {})).toEqual(["trustThreshold"]);
  });
});
