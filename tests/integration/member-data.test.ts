import { count, eq, or } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  comments,
  emailPreferences,
  flags,
  introductions,
  memberBlocks,
  notifications,
  outbox,
  posts,
  sessions,
  subscriptions,
  tags,
  users,
} from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { loader as accountDeletedLoader } from "~/routes/account-deleted";
import { action as threadAction, loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { action as settingsAction, loader as settingsLoader } from "~/routes/settings";
import { loader as exportLoader } from "~/routes/settings_.export";
import { loader as profileLoader } from "~/routes/u.$username";
import { GOOD_PASSWORD, joinAs, logIn, newMemberFields } from "../support/accounts";
import { joinedAccount, publishPost, replyTo, type Account } from "../support/member-actions";
import { callLoader, submitForm, thrownResponse } from "../support/requests";

async function markHelpful(from: Account, postId: number, commentId: number) {
  const answer = await submitForm(
    threadAction,
    `/posts/${postId}`,
    { intent: "helpful", kind: "comment", id: String(commentId) },
    { cookie: from.cookie, params: { postId: String(postId) } },
  );
  expect(answer.status).toBe(302);
}

async function deleteAccount(account: Account, fields: Record<string, string>) {
  return submitForm<{
    errors: Record<string, string[]>;
    formError: string | null;
    values: { content: string };
  }>(settingsAction, "/settings", { intent: "delete-account", ...fields }, { cookie: account.cookie });
}

async function userRow(userId: number) {
  const [row] = await getDb().select().from(users).where(eq(users.id, userId));
  return row!;
}

async function rowsFor(userId: number) {
  const db = getDb();
  const counted = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n;
  return {
    sessions: await counted(db.select({ n: count() }).from(sessions).where(eq(sessions.userId, userId))),
    watches: await counted(
      db.select({ n: count() }).from(subscriptions).where(eq(subscriptions.userId, userId)),
    ),
    notifications: await counted(
      db.select({ n: count() }).from(notifications).where(eq(notifications.userId, userId)),
    ),
    emailPreferences: await counted(
      db.select({ n: count() }).from(emailPreferences).where(eq(emailPreferences.userId, userId)),
    ),
    introductions: await counted(
      db
        .select({ n: count() })
        .from(introductions)
        .where(or(eq(introductions.senderId, userId), eq(introductions.recipientId, userId))),
    ),
    blocks: await counted(
      db
        .select({ n: count() })
        .from(memberBlocks)
        .where(or(eq(memberBlocks.blockerId, userId), eq(memberBlocks.blockedId, userId))),
    ),
  };
}

/** A member who has written, marked, watched, flagged, been introduced and blocked someone. */
async function activeMember() {
  const member = await joinedAccount("member");
  const other = await joinedAccount("member");
  const post = await publishPost(member, {
    title: "Booklists matched to the fourth-grade curriculum",
    body: "We built one list per **science unit**.",
    tags: "booklists, curriculum",
  });
  const reply = await replyTo(member, post.id, "The weather unit list was the most borrowed.");
  const othersPost = await publishPost(other, { title: "Summer reading with the middle school" });
  const othersReply = await replyTo(other, othersPost.id, "Teachers chose the first ten titles.");
  const memberReplyOnOthers = await replyTo(member, othersPost.id, "We did the same with our district.");
  await markHelpful(member, othersPost.id, othersReply);
  const db = getDb();
  await db.insert(flags).values({ flaggerId: member.user.id, commentId: othersReply, reason: "off_topic" });
  await db.insert(introductions).values([
    { senderId: member.user.id, recipientId: other.user.id, message: "Hello from the public library." },
    { senderId: other.user.id, recipientId: member.user.id, message: "Hello from the school library." },
  ]);
  await db.insert(memberBlocks).values({ blockerId: member.user.id, blockedId: other.user.id });
  await db.insert(emailPreferences).values({ userId: member.user.id, topic: "replies", frequency: "weekly" });
  await db
    .insert(outbox)
    .values({ toAddress: member.user.email, subject: "A reply", textBody: "Someone replied." });
  return { member, other, post, reply, othersPost, othersReply, memberReplyOnOthers };
}

describe("Download my data", () => {
  it("gives the member everything they wrote and their profile as a JSON file no cache keeps", async () => {
    const { member, other, post, reply, othersPost, memberReplyOnOthers, othersReply } = await activeMember();
    const response = await callLoader(exportLoader, "/settings/export", {}, { cookie: member.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="crosswalk-${member.user.username}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    const exported = JSON.parse(text);

    expect(exported.format).toBe("crosswalk-member-export");
    expect(exported.account).toMatchObject({
      username: member.user.username,
      email: member.user.email,
      displayName: member.user.displayName,
    });
    expect(exported.posts).toHaveLength(1);
    expect(exported.posts[0]).toMatchObject({
      id: post.id,
      title: "Booklists matched to the fourth-grade curriculum",
      body: "We built one list per **science unit**.",
      tags: ["booklists", "curriculum"],
    });
    expect(exported.replies.map((row: { id: number }) => row.id)).toEqual([reply, memberReplyOnOthers]);
    expect(exported.replies[0].body).toBe("The weather unit list was the most borrowed.");
    expect(exported.helpfulMarks).toEqual([expect.objectContaining({ commentId: othersReply })]);
    expect(exported.watchedThreads.map((row: { postId: number }) => row.postId)).toEqual(
      expect.arrayContaining([post.id, othersPost.id]),
    );
    expect(exported.flags).toEqual([
      expect.objectContaining({ commentId: othersReply, reason: "off_topic" }),
    ]);
    expect(exported.introductions.sent).toEqual([
      expect.objectContaining({ to: other.user.username, message: "Hello from the public library." }),
    ]);
    expect(exported.introductions.received).toEqual([
      expect.objectContaining({ from: other.user.username, message: "Hello from the school library." }),
    ]);
    expect(exported.blockedMembers).toEqual([expect.objectContaining({ username: other.user.username })]);
    expect(exported.emailPreferences).toEqual([{ topic: "replies", frequency: "weekly" }]);
    // Another member's address is theirs alone, even when they are in this member's data.
    expect(text).not.toContain(other.user.email);
  });

  it("sends a visitor to log in", async () => {
    const response = await thrownResponse(callLoader(exportLoader, "/settings/export"));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toMatch(/^\/login\?redirectTo=%2Fsettings%2Fexport/);
  });
});

describe("Delete account", () => {
  it("keeps the posts and replies as by Deleted member, and leaves nothing personal or working behind", async () => {
    const { member, post, reply } = await activeMember();
    const before = await userRow(member.user.id);

    const answer = await deleteAccount(member, { content: "keep", password: GOOD_PASSWORD });
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/account-deleted?content=kept");
    expect(answer.headers.get("set-cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);

    const after = await userRow(member.user.id);
    expect(after.deletedAt).not.toBeNull();
    expect(after.displayName).toBe("Deleted member");
    expect(after.username).toBe(`deleted-${member.user.id}`);
    expect(after.email).toBe(`deleted-${member.user.id}@deleted.invalid`);
    expect(after.passwordHash).not.toBe(before.passwordHash);
    expect([after.bio, after.community, after.region, after.openToPartnering]).toEqual([
      "",
      null,
      null,
      false,
    ]);
    expect(await rowsFor(member.user.id)).toEqual({
      sessions: 0,
      watches: 0,
      notifications: 0,
      emailPreferences: 0,
      introductions: 0,
      blocks: 0,
    });
    const mail = await getDb()
      .select({ n: count() })
      .from(outbox)
      .where(eq(outbox.toAddress, member.user.email));
    expect(mail[0]!.n).toBe(0);

    // The old cookie and the old password both stop working.
    const settings = await thrownResponse(
      callLoader(settingsLoader, "/settings", {}, { cookie: member.cookie }),
    );
    expect(settings.status).toBe(302);
    await expect(logIn(member.user.email, GOOD_PASSWORD)).rejects.toThrow(/Logging in failed with 400/);

    // What they wrote stays in its thread, under the new name.
    const thread = await callLoader(threadLoader, `/posts/${post.id}`, { postId: String(post.id) });
    expect(JSON.stringify(thread)).toContain("The weather unit list was the most borrowed.");
    expect(JSON.stringify(thread)).toContain("Deleted member");
    expect(JSON.stringify(thread)).not.toContain(member.user.displayName);
    const [stored] = await getDb().select().from(comments).where(eq(comments.id, reply));
    expect(stored!.status).toBe("approved");

    // The profile is gone, by its old name and its new one.
    const oldProfile = await thrownResponse(
      callLoader(profileLoader, `/u/${member.user.username}`, { username: member.user.username }),
    );
    expect(oldProfile.status).toBe(404);
    const newProfile = await thrownResponse(
      callLoader(profileLoader, `/u/${after.username}`, { username: after.username }),
    );
    expect(newProfile.status).toBe(410);
    expect(await newProfile.text()).toContain("This member deleted their account.");

    // The address is free again for a new account.
    await joinAs(newMemberFields({ email: member.user.email }));

    const landing = await callLoader(accountDeletedLoader, "/account-deleted?content=kept");
    expect(landing.contentRemoved).toBe(false);
  });

  it("removes the posts and replies when asked, with the counters and the flags on them settled", async () => {
    const { member, other, post, othersPost, memberReplyOnOthers } = await activeMember();
    const db = getDb();
    await db.insert(flags).values({ flaggerId: other.user.id, postId: post.id, reason: "spam" });
    const [othersBefore] = await db.select().from(posts).where(eq(posts.id, othersPost.id));
    const [curriculumBefore] = await db.select().from(tags).where(eq(tags.name, "curriculum"));

    const answer = await deleteAccount(member, { content: "remove", password: GOOD_PASSWORD });
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/account-deleted?content=removed");

    const [ownPost] = await db.select().from(posts).where(eq(posts.id, post.id));
    expect(ownPost!.status).toBe("removed");
    const [ownReply] = await db.select().from(comments).where(eq(comments.id, memberReplyOnOthers));
    expect(ownReply!.status).toBe("removed");
    const [othersAfter] = await db.select().from(posts).where(eq(posts.id, othersPost.id));
    expect(othersAfter!.commentCount).toBe(othersBefore!.commentCount - 1);
    const [curriculumAfter] = await db.select().from(tags).where(eq(tags.name, "curriculum"));
    expect(curriculumAfter!.postCount).toBe(curriculumBefore!.postCount - 1);
    const openFlags = await db
      .select({ n: count() })
      .from(flags)
      .where(eq(flags.postId, post.id))
      .then((rows) => rows[0]!.n);
    expect(openFlags).toBe(1);
    const [settled] = await db.select().from(flags).where(eq(flags.postId, post.id));
    expect(settled!.status).toBe("removed");

    const thread = await thrownResponse(
      callLoader(threadLoader, `/posts/${post.id}`, { postId: String(post.id) }),
    );
    expect(thread.status).toBe(404);
    const othersThread = await callLoader(threadLoader, `/posts/${othersPost.id}`, {
      postId: String(othersPost.id),
    });
    expect(JSON.stringify(othersThread)).not.toContain("We did the same with our district.");
    expect((await callLoader(accountDeletedLoader, "/account-deleted?content=removed")).contentRemoved).toBe(
      true,
    );
  });

  it("refuses a wrong password or no choice beside the field, keeps the choice, and changes nothing", async () => {
    const { member } = await activeMember();
    const wrong = await deleteAccount(member, { content: "remove", password: "not my password at all" });
    expect(wrong.status).toBe(400);
    expect(wrong.data?.errors.password).toEqual(["That is not your password."]);
    expect(wrong.data?.values.content).toBe("remove");

    const noChoice = await deleteAccount(member, { password: GOOD_PASSWORD });
    expect(noChoice.status).toBe(400);
    expect(noChoice.data?.errors.content).toEqual(["Choose what happens to your posts and replies."]);

    const noPassword = await deleteAccount(member, { content: "keep", password: "" });
    expect(noPassword.status).toBe(400);
    expect(noPassword.data?.errors.password).toEqual(["Enter your password to delete your account."]);

    const row = await userRow(member.user.id);
    expect(row.deletedAt).toBeNull();
    expect(row.email).toBe(member.user.email);
    expect((await rowsFor(member.user.id)).sessions).toBe(1);
  });

  it("answers the 11th wrong password in 15 minutes with 429, on deletion and on a password change, changing nothing", async () => {
    const member = await joinedAccount("member");
    // A right password is not counted.
    const changed = await submitForm(
      settingsAction,
      "/settings",
      { intent: "password", currentPassword: GOOD_PASSWORD, newPassword: "a brand new passphrase 9" },
      { cookie: member.cookie },
    );
    expect(changed.status).toBe(302);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const wrong = await deleteAccount(member, { content: "keep", password: `wrong guess ${attempt}` });
      expect(wrong.status).toBe(400);
    }
    const limited = await deleteAccount(member, { content: "keep", password: "a brand new passphrase 9" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.data?.errors.password?.[0]).toMatch(
      /^Too many wrong passwords\. Please try again in \d+ minutes?\.$/,
    );
    const change = await submitForm<{ errors: Record<string, string[]> }>(
      settingsAction,
      "/settings",
      {
        intent: "password",
        currentPassword: "a brand new passphrase 9",
        newPassword: "yet another passphrase 10",
      },
      { cookie: member.cookie },
    );
    expect(change.status).toBe(429);
    expect(change.data?.errors.currentPassword?.[0]).toMatch(/^Too many wrong passwords/);
    expect((await userRow(member.user.id)).deletedAt).toBeNull();
    await expect(logIn(member.user.email, "a brand new passphrase 9")).resolves.toContain("session");
  });

  it("refuses the forum's only admin until there is another, then lets them go", async () => {
    const admin = await joinedAccount("admin");
    await getDb().update(users).set({ role: "member" }).where(eq(users.role, "admin"));
    await getDb().update(users).set({ role: "admin" }).where(eq(users.id, admin.user.id));

    const refused = await deleteAccount(admin, { content: "keep", password: GOOD_PASSWORD });
    expect(refused.status).toBe(400);
    expect(refused.data?.formError).toMatch(/only admin/);
    expect((await userRow(admin.user.id)).deletedAt).toBeNull();

    await joinedAccount("admin");
    const allowed = await deleteAccount(admin, { content: "keep", password: GOOD_PASSWORD });
    expect(allowed.status).toBe(302);
    const row = await userRow(admin.user.id);
    expect(row.deletedAt).not.toBeNull();
    expect(row.role).toBe("member");
  });

  it('keeps usernames that start with "deleted-" for deleted accounts', async () => {
    await expect(joinAs(newMemberFields({ username: "deleted-12345" }))).rejects.toThrow(
      /Usernames starting with \\"deleted-\\" are kept for deleted accounts/,
    );
  });
});
