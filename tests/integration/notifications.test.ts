import { and, asc, eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { notifications, outbox, users, type User } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { verifyUnsubscribeScope } from "~/lib/unsubscribe.server";
import { saveEmailPreferences } from "~/models/email-preferences.server";
import { queueNotificationEmails } from "~/models/notification-mail.server";
import { setWatching } from "~/models/notifications.server";
import { saveModerationPolicy } from "~/models/settings.server";
import { action as editCommentAction } from "~/routes/comments.$commentId.edit";
import { action as queueAction } from "~/routes/mod._index";
import { action as threadAction } from "~/routes/posts.$postId.($slug)";
import { joinedAccount, publishPost, replyTo, type Account } from "../support/member-actions";
import { submitForm } from "../support/requests";

// Each trigger of the issue, driven through the forms a member uses, and the
// mail those notifications become.

const account = joinedAccount;
const publish = async (author: Account, fields: Partial<Record<"title" | "kind" | "body", string>> = {}) =>
  (await publishPost(author, fields)).id;
const reply = replyTo;
let sequence = 0;

function notificationsOf(user: User) {
  return getDb()
    .select({
      kind: notifications.kind,
      actorId: notifications.actorId,
      postId: notifications.postId,
      commentId: notifications.commentId,
      message: notifications.message,
      count: notifications.count,
    })
    .from(notifications)
    .where(eq(notifications.userId, user.id))
    .orderBy(asc(notifications.id));
}

/** A moderator's Approve on a held comment in the queue at /mod. */
function approveFromQueue(moderator: Account, commentId: number) {
  return submitForm(
    queueAction,
    "/mod",
    { intent: "approve", kind: "comment", id: String(commentId), reason: "" },
    { cookie: moderator.cookie },
  );
}

function mailTo(user: User) {
  return getDb().select().from(outbox).where(eq(outbox.toAddress, user.email)).orderBy(asc(outbox.id));
}

beforeAll(async () => {
  await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
});

describe("what notifies whom", () => {
  it("a reply to a post notifies its author; a reply to a comment notifies that comment's author", async () => {
    const asker = await account();
    const helper = await account();
    const postId = await publish(asker);

    const answerId = await reply(helper, postId, "Ask the literacy coach to introduce you.");
    expect(await notificationsOf(asker.user)).toEqual([
      expect.objectContaining({ kind: "reply", actorId: helper.user.id, postId, commentId: answerId }),
    ]);

    const thanksId = await reply(asker, postId, "Thank you, trying that.", answerId);
    expect(await notificationsOf(helper.user)).toEqual([
      expect.objectContaining({ kind: "reply", actorId: asker.user.id, postId, commentId: thanksId }),
    ]);
    // Nobody is told about their own words.
    expect((await notificationsOf(asker.user)).map((row) => row.commentId)).not.toContain(thanksId);
  });

  it("an @mention notifies that member once, even when the comment also replies to them", async () => {
    const asker = await account();
    const mentioned = await account("member", `mentioned-${process.pid}-${++sequence}`);
    const writer = await account();
    const postId = await publish(asker);

    const commentId = await reply(
      writer,
      postId,
      `@${mentioned.user.username} ran this last year, and @${asker.user.username} asked.`,
    );
    expect(await notificationsOf(mentioned.user)).toEqual([
      expect.objectContaining({
        kind: "mention",
        commentId,
        message: expect.stringContaining("mentioned you"),
      }),
    ]);
    // The asker is both replied to and mentioned: one notification, the reply.
    expect(await notificationsOf(asker.user)).toEqual([
      expect.objectContaining({ kind: "reply", commentId }),
    ]);
  });

  it("a mention in a new post notifies the member named", async () => {
    const author = await account();
    const named = await account("member", `named-${process.pid}-${++sequence}`);
    const postId = await publish(author, { body: `Thanks to @${named.user.username} for the idea.` });
    expect(await notificationsOf(named.user)).toEqual([
      expect.objectContaining({ kind: "mention", postId, commentId: null }),
    ]);
  });

  it("an edit that adds a mention notifies that member once; later edits do not notify again", async () => {
    const asker = await account();
    const writer = await account();
    const named = await account("member", `edited-${process.pid}-${++sequence}`);
    const postId = await publish(asker);
    const commentId = await reply(writer, postId, "Our branch manager ran this last year.");
    const edit = (body: string) =>
      submitForm(
        editCommentAction,
        `/comments/${commentId}/edit`,
        { intent: "save", body },
        { cookie: writer.cookie, params: { commentId: String(commentId) } },
      );

    expect((await edit(`Our branch manager @${named.user.username} ran this last year.`)).status).toBe(302);
    expect(await notificationsOf(named.user)).toEqual([
      expect.objectContaining({ kind: "mention", commentId, actorId: writer.user.id }),
    ]);
    expect((await edit(`Our branch manager @${named.user.username} ran this in 2025.`)).status).toBe(302);
    expect(await notificationsOf(named.user)).toHaveLength(1);
  });

  it("watchers hear of new replies; Stop watching ends it, and replying again does not restart it", async () => {
    const asker = await account();
    const first = await account();
    const second = await account();
    const postId = await publish(asker);
    await reply(first, postId, "We had the same problem.");

    const secondId = await reply(second, postId, "A principal's newsletter worked for us.");
    // The first replier watches by default.
    expect(await notificationsOf(first.user)).toEqual([
      expect.objectContaining({ kind: "watched_reply", commentId: secondId }),
    ]);

    expect(await setWatching(first.user.id, postId, false)).toBe(true);
    await reply(first, postId, "Trying the newsletter now.");
    await reply(second, postId, "Good luck!");
    expect(await notificationsOf(first.user)).toHaveLength(1);
  });

  it("a banned watcher hears of no reply, published at once or approved from the queue", async () => {
    await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 2 }, null);
    try {
      const asker = await account();
      const banned = await account();
      const watcher = await account();
      const moderator = await account("moderator");
      const newcomer = await account();
      await getDb().update(users).set({ approvedCount: 5 }).where(eq(users.id, watcher.user.id));
      await getDb().update(users).set({ approvedCount: 0 }).where(eq(users.id, newcomer.user.id));
      const postId = await publish(asker);
      await reply(banned, postId, "We tried this too.");
      await getDb().update(users).set({ status: "banned" }).where(eq(users.id, banned.user.id));

      const publishedId = await reply(watcher, postId, "Our newsletter worked.");
      const heldId = await reply(newcomer, postId, "Here is what worked at our branch.");
      expect((await approveFromQueue(moderator, heldId)).status).toBe(200);
      expect(await notificationsOf(banned.user)).toEqual([]);
      // The same replies reach a watcher in good standing.
      expect(await notificationsOf(watcher.user)).toEqual([
        expect.objectContaining({ kind: "watched_reply", commentId: heldId }),
      ]);
      expect(await notificationsOf(asker.user)).toEqual([
        expect.objectContaining({ kind: "reply" }),
        expect.objectContaining({ kind: "reply", commentId: publishedId }),
        expect.objectContaining({ kind: "reply", commentId: heldId }),
      ]);
    } finally {
      await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
    }
  });

  it("a held comment notifies nobody until it is approved, and then everyone it would have", async () => {
    await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 2 }, null);
    try {
      const asker = await account();
      const moderator = await account("moderator");
      const newcomer = await account();
      await getDb().update(users).set({ approvedCount: 0 }).where(eq(users.id, newcomer.user.id));
      const postId = await publish(asker);

      const heldId = await reply(newcomer, postId, "Here is what worked at our branch.");
      expect(await notificationsOf(asker.user)).toEqual([]);

      expect((await approveFromQueue(moderator, heldId)).status).toBe(200);
      expect(await notificationsOf(asker.user)).toEqual([
        expect.objectContaining({ kind: "reply", commentId: heldId, actorId: newcomer.user.id }),
      ]);
      expect(await notificationsOf(newcomer.user)).toEqual([
        expect.objectContaining({ kind: "approved", commentId: heldId }),
      ]);
    } finally {
      await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
    }
  });

  it("accepting an answer notifies its author", async () => {
    const asker = await account();
    const helper = await account();
    const postId = await publish(asker);
    const answerId = await reply(helper, postId, "Go through the PTA.");
    const accepted = await submitForm(
      threadAction,
      `/posts/${postId}`,
      { intent: "accept", commentId: String(answerId) },
      { cookie: asker.cookie, params: { postId: String(postId) } },
    );
    expect(accepted.status).toBeLessThan(400);
    expect(await notificationsOf(helper.user)).toContainEqual(
      expect.objectContaining({ kind: "accepted_answer", commentId: answerId }),
    );
  });

  it("Helpful marks are batched into one notice per item while it is unread", async () => {
    const asker = await account();
    const helper = await account();
    const postId = await publish(asker);
    const answerId = await reply(helper, postId, "Offer a teacher workshop with PD credit.");
    const markers = [asker, await account(), await account()];
    const mark = (who: Account, helpful: boolean) =>
      submitForm(
        threadAction,
        `/posts/${postId}`,
        { intent: "helpful", kind: "comment", id: String(answerId), helpful: String(helpful) },
        { cookie: who.cookie, params: { postId: String(postId) } },
      );
    for (const who of markers) await mark(who, true);
    // Taking a mark back and giving it again does not count that member twice.
    await mark(markers[0]!, false);
    await mark(markers[0]!, true);

    const helpful = (await notificationsOf(helper.user)).filter((row) => row.kind === "helpful");
    expect(helpful).toEqual([
      expect.objectContaining({
        commentId: answerId,
        count: 3,
        message: expect.stringContaining("3 members"),
      }),
    ]);

    await getDb()
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(eq(notifications.userId, helper.user.id));
    await mark(markers[1]!, false);
    await mark(markers[1]!, true);
    const after = (await notificationsOf(helper.user)).filter((row) => row.kind === "helpful");
    expect(after).toHaveLength(2);
  });
});

describe("notification e-mail", () => {
  beforeEach(async () => {
    // Each test looks only at its own members' mail; settle what earlier tests left waiting.
    await queueNotificationEmails();
  });

  async function ageNotifications(user: User, interval: string) {
    await getDb()
      .update(notifications)
      .set({ createdAt: sql`${notifications.createdAt} - ${interval}::interval` })
      .where(eq(notifications.userId, user.id));
  }

  it("replies go out at once by default, with a link to the comment, HTML, and a one-click unsubscribe", async () => {
    const asker = await account();
    const helper = await account();
    const postId = await publish(asker, { title: "Summer reading sign-ups with the middle school" });
    const commentId = await reply(helper, postId, "We visited every **homeroom** in May.");

    const result = await queueNotificationEmails();
    expect(result.immediate).toBeGreaterThanOrEqual(1);
    const [mail, ...more] = await mailTo(asker.user);
    expect(more).toEqual([]);
    expect(mail!.subject).toContain("replied to your post");
    expect(mail!.textBody).toContain(`#comment-${commentId}`);
    expect(mail!.textBody).toContain("We visited every homeroom in May.");
    expect(mail!.htmlBody).toContain(`#comment-${commentId}`);
    expect(mail!.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const unsubscribe = /<(.+)>/.exec(mail!.headers["List-Unsubscribe"] ?? "")?.[1] ?? "";
    const token = new URL(unsubscribe).searchParams.get("token") ?? "";
    expect(verifyUnsubscribeScope(token)).toEqual({ userId: asker.user.id, scope: "replies" });
    expect(mail!.textBody).toContain(unsubscribe);

    // Queued once: running again sends nothing more.
    await queueNotificationEmails();
    expect(await mailTo(asker.user)).toHaveLength(1);
  });

  it("a weekly digest waits a week, then groups everything waiting by thread in one message", async () => {
    const asker = await account();
    const helper = await account();
    const firstPost = await publish(asker, { title: "Class visits to the public library in spring" });
    const secondPost = await publish(asker, { title: "Library-card drive at back-to-school night" });
    await saveEmailPreferences(asker.user.id, { replies: "weekly" });
    await reply(helper, firstPost, "We bus the whole grade on one day.");
    await reply(helper, firstPost, "And hand out cards on the bus.");
    await reply(helper, secondPost, "A table by the front door worked.");

    await queueNotificationEmails();
    expect(await mailTo(asker.user)).toEqual([]);

    await ageNotifications(asker.user, "8 days");
    const result = await queueNotificationEmails();
    expect(result.digests).toBeGreaterThanOrEqual(1);
    const mails = await mailTo(asker.user);
    expect(mails).toHaveLength(1);
    const digest = mails[0]!;
    expect(digest.subject).toBe("Your weekly Crosswalk digest: 3 notifications");
    const text = digest.textBody;
    const first = text.indexOf("Class visits to the public library in spring");
    const second = text.indexOf("Library-card drive at back-to-school night");
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
    // Both replies in the first thread sit under its heading, before the second thread.
    expect(text.slice(first, second).match(/replied to your post/g)).toHaveLength(2);
    const token = new URL(/<(.+)>/.exec(digest.headers["List-Unsubscribe"] ?? "")![1]!).searchParams.get(
      "token",
    );
    expect(verifyUnsubscribeScope(token ?? "")).toEqual({ userId: asker.user.id, scope: "weekly-digest" });
  });

  it("a daily digest goes out after a day; never sends nothing; what was read on the site is not mailed", async () => {
    const daily = await account();
    const quiet = await account();
    const reader = await account();
    const helper = await account();
    await saveEmailPreferences(daily.user.id, { replies: "daily" });
    await saveEmailPreferences(quiet.user.id, { replies: "never" });
    await saveEmailPreferences(reader.user.id, { replies: "daily" });
    for (const who of [daily, quiet, reader]) await reply(helper, await publish(who), "Here is our flyer.");
    await getDb()
      .update(notifications)
      .set({ readAt: sql`now()` })
      .where(eq(notifications.userId, reader.user.id));

    await queueNotificationEmails();
    expect(await mailTo(daily.user)).toEqual([]);
    for (const who of [daily, quiet, reader]) await ageNotifications(who.user, "25 hours");
    await queueNotificationEmails();

    const [digest] = await mailTo(daily.user);
    expect(digest?.subject).toBe("Your daily Crosswalk digest: 1 notification");
    expect(await mailTo(quiet.user)).toEqual([]);
    expect(await mailTo(reader.user)).toEqual([]);
    const waiting = await getDb()
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.userId, quiet.user.id), sql`${notifications.emailedAt} is null`));
    expect(waiting).toEqual([]);
  });

  it("a suspended member gets no mail", async () => {
    const asker = await account();
    const helper = await account();
    const postId = await publish(asker);
    await getDb().update(users).set({ status: "suspended" }).where(eq(users.id, asker.user.id));
    await reply(helper, postId, "Try again in September.");
    await queueNotificationEmails();
    expect(await mailTo(asker.user)).toEqual([]);
  });

  it("two processes queueing at once queue each notice's mail exactly once", async () => {
    const asker = await account();
    const helpers = [await account(), await account(), await account()];
    const postId = await publish(asker);
    for (const helper of helpers) await reply(helper, postId, `Idea from ${helper.user.username}.`);
    await Promise.all([queueNotificationEmails(), queueNotificationEmails(), queueNotificationEmails()]);
    const mails = await mailTo(asker.user);
    expect(mails).toHaveLength(3);
  });
});
