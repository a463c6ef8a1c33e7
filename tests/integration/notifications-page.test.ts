import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, users, type User } from "~/db/schema";
import { countQueries, getDb } from "~/lib/db.server";
import { DEFAULT_EMAIL_FREQUENCY } from "~/lib/email-topics";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { getEmailPreferences } from "~/models/email-preferences.server";
import { markNotificationsRead } from "~/models/notifications.server";
import { saveModerationPolicy } from "~/models/settings.server";
import { loader as rootLoader } from "~/root";
import { action as notificationsAction, loader as notificationsLoader } from "~/routes/notifications";
import { action as threadAction, loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { action as settingsAction, loader as settingsLoader } from "~/routes/settings";
import { joinedAccount, publishPost, replyTo, type Account } from "../support/member-actions";
import { callLoader, submitForm, thrownResponse } from "../support/requests";

// Notifications here come from real posts and replies through the routes'
// actions; the paging tests insert rows directly, as many as a page needs.
beforeAll(async () => {
  await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
});

const account = () => joinedAccount();
const publish = (author: Account, title = "Summer reading logs that families actually return") =>
  publishPost(author, { title, kind: "discussion", body: "What do yours look like?", tags: "" });
const reply = replyTo;

function setWatch(who: Account | undefined, postId: number, intent: "watch" | "unwatch") {
  return submitForm(
    threadAction,
    `/posts/${postId}`,
    { intent },
    {
      cookie: who?.cookie,
      params: { postId: String(postId) },
    },
  );
}

const openNotifications = (who: Account, query = "") =>
  callLoader(notificationsLoader, `/notifications${query}`, {}, { cookie: who.cookie });

const openThread = (postId: number, who?: Account) =>
  callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) }, { cookie: who?.cookie });

/** The count the header shows, from the root loader. */
async function headerCount(who: Account) {
  return (await callLoader(rootLoader, "/", {}, { cookie: who.cookie })).unreadNotifications;
}

const markAllRead = (who: Account, extra: Record<string, string> = {}) =>
  submitForm(
    notificationsAction,
    "/notifications",
    { intent: "mark-all-read", ...extra },
    {
      cookie: who.cookie,
    },
  );

/** Inserts `count` notifications for a member, a second apart, oldest first; answers their ids. */
async function insertNotifications(member: User, count: number, start = new Date("2026-01-05T09:00:00Z")) {
  const rows = await getDb()
    .insert(notifications)
    .values(
      Array.from({ length: count }, (_, index) => ({
        userId: member.id,
        kind: "mention" as const,
        message: `Notice number ${index + 1}`,
        createdAt: new Date(start.getTime() + index * 1000),
      })),
    )
    .returning({ id: notifications.id });
  return rows.map((row) => row.id);
}

async function unreadIds(member: User) {
  const rows = await getDb()
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.userId, member.id), isNull(notifications.readAt)));
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

describe("/notifications", () => {
  it("sends a visitor to log in and back, and lets no visitor mark anything", async () => {
    const page = await thrownResponse(callLoader(notificationsLoader, "/notifications"));
    expect(page.status).toBe(302);
    expect(page.headers.get("Location")).toBe("/login?redirectTo=%2Fnotifications");

    const post = await submitForm(notificationsAction, "/notifications", { intent: "mark-all-read" });
    expect(post.status).toBe(302);
    expect(post.location).toBe("/login?redirectTo=%2Fnotifications");
  });

  it("lists a member's notifications newest first, each linking to the comment, and shows an empty state", async () => {
    const author = await account();
    const replier = await account();
    const mentioner = await account();
    expect((await openNotifications(author)).items).toEqual([]);

    const post = await publish(author);
    const first = await reply(replier, post.id, "Ours come back when the prize is a book.");
    const second = await reply(
      mentioner,
      post.id,
      `@${author.user.username} have you tried a bingo card instead?`,
      first,
    );

    const { items, nextCursor, isFirstPage } = await openNotifications(author);
    expect(isFirstPage).toBe(true);
    expect(nextCursor).toBeNull();
    expect(items.map((item) => [item.kind, item.href, item.read])).toEqual([
      ["mention", `/posts/${post.id}/${post.slug}?at=${second}#comment-${second}`, false],
      ["reply", `/posts/${post.id}/${post.slug}?at=${first}#comment-${first}`, false],
    ]);
    expect(items[0]!.message).toContain(mentioner.user.displayName);
    expect(items[1]!.message).toContain(replier.user.displayName);
    expect(items[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(items[1]!.createdAt.getTime());
  });

  it("marks what it shows as read on opening, still showing which were new, and the header count drops", async () => {
    const author = await account();
    const replier = await account();
    const post = await publish(author);
    await reply(replier, post.id, "Stickers for every week logged worked for us.");
    await reply(replier, post.id, "And a raffle at the end.");
    expect(await headerCount(author)).toBe(2);

    const opened = await openNotifications(author);
    expect(opened.items.map((item) => item.read)).toEqual([false, false]);
    expect(opened.unreadCount).toBe(0);
    expect(await headerCount(author)).toBe(0);

    const again = await openNotifications(author);
    expect(again.items.map((item) => item.read)).toEqual([true, true]);
  });

  it("marks nothing read when another site embeds or fetches the page, only when it is opened", async () => {
    const author = await account();
    const replier = await account();
    const post = await publish(author);
    await reply(replier, post.id, "We send the log home in the report card envelope.");
    const openWith = (headers: Record<string, string>) =>
      callLoader(notificationsLoader, "/notifications", {}, { cookie: author.cookie, headers });

    // An <img> or a script's fetch from another site carries the member's cookie, but nobody saw the page.
    await openWith({
      "Sec-Fetch-Site": "cross-site",
      "Sec-Fetch-Mode": "no-cors",
      "Sec-Fetch-Dest": "image",
    });
    await openWith({ "Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty" });
    expect(await headerCount(author)).toBe(1);

    // Following a link from a webmail page is opening it.
    const followed = await openWith({
      "Sec-Fetch-Site": "cross-site",
      "Sec-Fetch-Mode": "navigate",
      "Sec-Fetch-Dest": "document",
    });
    expect(followed.unreadCount).toBe(0);
  });

  it("marks what it shows as read when Crosswalk's own page fetches it (a click in the app)", async () => {
    const author = await account();
    const replier = await account();
    const post = await publish(author);
    await reply(replier, post.id, "Ours go home on a bookmark.");
    const opened = await callLoader(
      notificationsLoader,
      "/notifications",
      {},
      {
        cookie: author.cookie,
        headers: { "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty" },
      },
    );
    expect(opened.unreadCount).toBe(0);
  });

  it("never shows one member another's notifications, nor marks them read", async () => {
    const author = await account();
    const stranger = await account();
    const replier = await account();
    const post = await publish(author);
    await reply(replier, post.id, "We send the log home in the report card envelope.");
    const authorsUnread = await unreadIds(author.user);
    expect(authorsUnread).toHaveLength(1);

    expect((await openNotifications(stranger)).items).toEqual([]);
    expect(await markNotificationsRead(stranger.user.id, authorsUnread)).toBe(0);
    // The page's form takes no ids; any sent along are ignored, and "all" means one's own.
    const answer = await markAllRead(stranger, {
      ids: authorsUnread.join(","),
      id: String(authorsUnread[0]),
    });
    expect(answer.status).toBe(302);
    expect(await unreadIds(author.user)).toEqual(authorsUnread);
    expect(await headerCount(author)).toBe(1);
  });

  it("marks every notification read, older pages too, with a notice", async () => {
    const member = await account();
    await insertNotifications(member.user, 35);

    const firstPage = await openNotifications(member);
    expect(firstPage.items).toHaveLength(30);
    expect(firstPage.unreadCount).toBe(5);
    expect(await headerCount(member)).toBe(5);

    const answer = await markAllRead(member);
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/notifications?marked=all");
    expect(await headerCount(member)).toBe(0);
    const after = await openNotifications(member, "?marked=all");
    expect(after.markedAll).toBe(true);
    expect(after.unreadCount).toBe(0);
  });

  it("refuses an unknown intent with 400 and changes nothing", async () => {
    const member = await account();
    await insertNotifications(member.user, 2);
    const answer = await submitForm(
      notificationsAction,
      "/notifications",
      { intent: "delete-all" },
      {
        cookie: member.cookie,
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.text).toBe("Unknown action.");
    expect(await unreadIds(member.user)).toHaveLength(2);
  });

  it("pages with Next page, newest first, with no repeats or gaps while new ones arrive", async () => {
    const member = await account();
    const inserted = await insertNotifications(member.user, 70);
    // Several at the same moment: the id breaks the tie.
    const tied = await getDb()
      .insert(notifications)
      .values(
        [1, 2, 3].map((index) => ({
          userId: member.user.id,
          kind: "reply" as const,
          message: `Tied notice ${index}`,
          createdAt: new Date("2026-01-05T09:00:30Z"),
        })),
      )
      .returning({ id: notifications.id });
    const total = inserted.length + tied.length;

    const seen: number[] = [];
    let query = "";
    for (let page = 0; page < 10; page++) {
      const { items, nextCursor } = await openNotifications(member, query);
      seen.push(...items.map((item) => item.id));
      const times = items.map((item) => item.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      // Something new arrives after the first page: it goes on top, not into a later page.
      if (page === 0) await insertNotifications(member.user, 1, new Date());
      if (!nextCursor) break;
      query = `?${new URLSearchParams({ cursor: nextCursor })}`;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(new Set(seen)).toEqual(new Set([...inserted, ...tied.map((row) => row.id)]));
  });

  it("answers 400 for a cursor it did not make", async () => {
    const member = await account();
    for (const cursor of ["junk", "bm90LWEtY3Vyc29y", "%00"]) {
      const response = await thrownResponse(openNotifications(member, `?cursor=${cursor}`));
      expect(response.status, `for ?cursor=${cursor}`).toBe(400);
    }
  });
});

describe("the header's unread count", () => {
  it("is counted for members only: a visitor's page asks nothing about notifications", async () => {
    const { result, queries } = await countQueries(() => callLoader(rootLoader, "/"));
    expect(result.unreadNotifications).toBeNull();
    expect(queries).toBe(0);
  });
});

describe("watching a thread", () => {
  it("starts for the author and repliers, and a member can stop and start again", async () => {
    const author = await account();
    const replier = await account();
    const reader = await account();
    const post = await publish(author);
    await reply(replier, post.id, "Following along.");

    expect((await openThread(post.id, author)).watching).toBe(true);
    expect((await openThread(post.id, replier)).watching).toBe(true);
    expect((await openThread(post.id, reader)).watching).toBe(false);
    expect((await openThread(post.id)).watching).toBe(false);

    const stop = await setWatch(author, post.id, "unwatch");
    expect(stop.status).toBe(302);
    expect(stop.location).toBe(`${post.path}#watch`);
    expect((await openThread(post.id, author)).watching).toBe(false);

    const start = await setWatch(reader, post.id, "watch");
    expect(start.location).toBe(`${post.path}#watch`);
    expect((await openThread(post.id, reader)).watching).toBe(true);
  });

  it("keeps an explicit stop when the member replies later, and tells watchers only", async () => {
    const author = await account();
    const quitter = await account();
    const stayer = await account();
    const post = await publish(author);
    await reply(quitter, post.id, "I'll follow this one.");
    await reply(stayer, post.id, "Me too.");
    await setWatch(quitter, post.id, "unwatch");
    await reply(quitter, post.id, "One more thought, then I'm off.");
    expect((await openThread(post.id, quitter)).watching).toBe(false);

    await openNotifications(quitter);
    await openNotifications(stayer);
    await reply(author, post.id, "Thanks, everyone: here is what we settled on.");
    expect(await headerCount(quitter)).toBe(0);
    expect(await headerCount(stayer)).toBe(1);
    const [news] = (await openNotifications(stayer)).items;
    expect(news).toMatchObject({ kind: "watched_reply" });

    await setWatch(quitter, post.id, "watch");
    await reply(author, post.id, "And one last update.");
    expect(await headerCount(quitter)).toBe(1);
  });

  it("sends a visitor to log in, and refuses a thread that is not published", async () => {
    const author = await account();
    const post = await publish(author);
    const visitor = await setWatch(undefined, post.id, "watch");
    expect(visitor.status).toBe(302);
    expect(visitor.location).toMatch(/^\/login\?redirectTo=/);

    await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 5 }, null);
    try {
      const newcomer = await account();
      await getDb().update(users).set({ approvedCount: 0 }).where(eq(users.id, newcomer.user.id));
      const held = await publish(newcomer, "A held post about library card drives");
      expect((await openThread(held.id, newcomer)).watching).toBe(false);
      const answer = await setWatch(newcomer, held.id, "watch");
      expect(answer.status).toBe(404);
      const stranger = await setWatch(author, held.id, "watch");
      expect(stranger.status).toBe(404);
    } finally {
      await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
    }
  });
});

describe("notification e-mail in /settings", () => {
  const openSettings = (who: Account, query = "") =>
    callLoader(settingsLoader, `/settings${query}`, {}, { cookie: who.cookie });
  const save = (who: Account, fields: Record<string, string>) =>
    submitForm<{ errors: Record<string, string[]>; values: Record<string, string> }>(
      settingsAction,
      "/settings",
      { intent: "notifications", ...fields },
      { cookie: who.cookie },
    );
  const choices = {
    replies: "daily",
    mentions: "immediately",
    watched: "never",
    accepted: "weekly",
    helpful: "never",
    moderation: "immediately",
    introductions: "weekly",
  };

  it("shows the defaults: replies, mentions and introductions at once, the rest weekly", async () => {
    const member = await account();
    expect((await openSettings(member)).emailPreferences).toEqual({
      replies: "immediately",
      mentions: "immediately",
      watched: "weekly",
      accepted: "weekly",
      helpful: "weekly",
      moderation: "weekly",
      introductions: "immediately",
    });
  });

  it("saves a member's choices and says so", async () => {
    const member = await account();
    const answer = await save(member, choices);
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/settings?saved=notifications");
    const page = await openSettings(member, "?saved=notifications");
    expect(page.saved).toBe("notifications");
    expect(page.emailPreferences).toEqual(choices);
    // Another member's choices are their own.
    const other = await account();
    expect(await getEmailPreferences(other.user.id)).toEqual(DEFAULT_EMAIL_FREQUENCY);
  });

  it("refuses a value not on the list with 400, a message beside it and the other choices kept", async () => {
    const member = await account();
    for (const bad of [{ replies: "hourly" }, { replies: "" }]) {
      const answer = await save(member, { ...choices, ...bad });
      expect(answer.status).toBe(400);
      expect(answer.data?.errors.replies).toEqual([
        "Choose one of: Immediately, Daily digest, Weekly digest, Never.",
      ]);
      expect(answer.data?.errors.mentions).toBeUndefined();
      expect(answer.data?.values).toMatchObject({ mentions: "immediately", watched: "never" });
    }
    const { helpful: _missing, ...withoutHelpful } = choices;
    const missing = await save(member, withoutHelpful);
    expect(missing.status).toBe(400);
    expect(missing.data?.errors.helpful).toHaveLength(1);
    expect(await getEmailPreferences(member.user.id)).toEqual(DEFAULT_EMAIL_FREQUENCY);
  });
});
