import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  comments,
  moderationActions,
  postTags,
  posts,
  tags,
  users,
  type User,
  type UserRole,
} from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { getSessionUser } from "~/lib/session.server";
import { countUserSessions } from "~/models/sessions.server";
import { action as loginAction } from "~/routes/login";
import { action as membersAction, loader as membersLoader } from "~/routes/mod.users";
import { joinAs } from "../support/accounts";
import { createComment, createMember, createPost } from "../support/factories";
import { callLoader, submitForm, thrownResponse } from "../support/requests";

type Account = Awaited<ReturnType<typeof joinAs>> & { id: number; user: User };

/** A member who joined through /join (so they have a password and a session), with `role`. */
async function account(role: UserRole = "member"): Promise<Account> {
  const joined = await joinAs();
  const [user] = await getDb()
    .update(users)
    .set({ role })
    .where(eq(users.username, joined.fields.username))
    .returning();
  return { ...joined, id: user!.id, user: user! };
}

const sessionUserFor = (cookie: string) =>
  getSessionUser(new Request("http://localhost/", { headers: { Cookie: cookie } }));

type MemberAnswer = {
  outcome: "done" | "conflict" | "invalid";
  message?: string;
  userId?: string;
  errors?: Record<string, string[] | undefined>;
  values?: { reason: string; until: string; removeContent: boolean; role: string };
};

function act(cookie: string, fields: Record<string, string>) {
  return submitForm<MemberAnswer>(membersAction, "/mod/users", fields, { cookie });
}

type MemberEntry = {
  id: number;
  username: string;
  displayName: string;
  role: UserRole;
  status: string;
  statusReason: string | null;
  canModerate: boolean;
  canChangeRole: boolean;
};

type MembersPage = {
  members: MemberEntry[];
  nextCursor: string | null;
  errors: Record<string, string[] | undefined>;
};

async function membersPage(cookie: string, query = "") {
  const result = (await callLoader(membersLoader, `/mod/users${query}`, {}, { cookie })) as unknown as {
    data: MembersPage;
    init: ResponseInit | null;
  };
  return { status: result.init?.status ?? 200, page: result.data };
}

function logIn(email: string, password: string) {
  return submitForm<{ formError: string | null }>(loginAction, "/login", { email, password });
}

async function userRow(id: number) {
  const [row] = await getDb().select().from(users).where(eq(users.id, id));
  return row!;
}

async function logRowsFor(userId: number) {
  return getDb()
    .select()
    .from(moderationActions)
    .where(eq(moderationActions.targetUserId, userId))
    .orderBy(asc(moderationActions.id));
}

/** A date input's value `days` from today (UTC). */
function dayFromToday(days: number) {
  return new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

describe("who may open /mod/users", () => {
  it("sends a visitor to log in and back", async () => {
    const response = await thrownResponse(callLoader(membersLoader, "/mod/users"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fmod%2Fusers");
  });

  it("refuses a member the page and its actions with 403", async () => {
    const member = await account();
    const other = await account();
    const page = await thrownResponse(callLoader(membersLoader, "/mod/users", {}, { cookie: member.cookie }));
    expect(page.status).toBe(403);
    const answer = await act(member.cookie, { intent: "suspend", userId: String(other.id), reason: "No." });
    expect(answer.status).toBe(403);
    expect((await userRow(other.id)).status).toBe("active");
  });
});

describe("suspending", () => {
  it("ends the member's sessions at once, logs it, and log-in then gives the reason", async () => {
    const moderator = await account("moderator");
    const member = await account();
    expect(await sessionUserFor(member.cookie)).toMatchObject({ id: member.id });

    const answer = await act(moderator.cookie, {
      intent: "suspend",
      userId: String(member.id),
      reason: "Repeated personal attacks",
      until: "",
    });
    expect(answer.status, JSON.stringify(answer.data)).toBe(200);
    expect(answer.data).toMatchObject({ outcome: "done", message: expect.stringMatching(/suspended/) });

    expect(await sessionUserFor(member.cookie)).toBeNull();
    expect(await countUserSessions(member.id)).toBe(0);
    expect(await userRow(member.id)).toMatchObject({
      status: "suspended",
      statusReason: "Repeated personal attacks",
      suspendedUntil: null,
    });
    const [row] = await logRowsFor(member.id);
    expect(row).toMatchObject({
      action: "suspend",
      actorId: moderator.id,
      reason: "Repeated personal attacks",
      details: { until: null },
    });

    const login = await logIn(member.fields.email, member.fields.password);
    expect(login.status).toBe(403);
    expect(login.data?.formError).toMatch(/^This account is suspended: Repeated personal attacks\./);
  });

  it("refuses an end date in the past with 400, keeping what was typed", async () => {
    const moderator = await account("moderator");
    const member = await account();
    const answer = await act(moderator.cookie, {
      intent: "suspend",
      userId: String(member.id),
      reason: "Cooling off",
      until: dayFromToday(-1),
    });
    expect(answer.status).toBe(400);
    expect(answer.data?.errors?.until?.[0]).toMatch(/after today/);
    expect(answer.data).toMatchObject({
      userId: String(member.id),
      values: { reason: "Cooling off", until: dayFromToday(-1) },
    });
    expect((await userRow(member.id)).status).toBe("active");
    expect(await sessionUserFor(member.cookie)).not.toBeNull();
    expect(await logRowsFor(member.id)).toHaveLength(0);
  });

  it("asks for a reason, and refuses an unknown intent with 400", async () => {
    const moderator = await account("moderator");
    const member = await account();
    const noReason = await act(moderator.cookie, {
      intent: "suspend",
      userId: String(member.id),
      reason: "  ",
      until: dayFromToday(3),
    });
    expect(noReason.status).toBe(400);
    expect(noReason.data?.errors?.reason).toBeDefined();
    expect(noReason.data?.values?.until).toBe(dayFromToday(3));

    const unknown = await act(moderator.cookie, { intent: "vanish", userId: String(member.id) });
    expect(unknown.status).toBe(400);
    expect((await userRow(member.id)).status).toBe("active");
  });

  it("ends a timed suspension by itself: after the date the member logs in again and it is logged", async () => {
    const moderator = await account("moderator");
    const member = await account();
    const answer = await act(moderator.cookie, {
      intent: "suspend",
      userId: String(member.id),
      reason: "Off-topic posting",
      until: dayFromToday(2),
    });
    expect(answer.status, JSON.stringify(answer.data)).toBe(200);
    expect((await userRow(member.id)).suspendedUntil?.toISOString()).toBe(`${dayFromToday(2)}T00:00:00.000Z`);

    const refused = await logIn(member.fields.email, member.fields.password);
    expect(refused.status).toBe(403);
    expect(refused.data?.formError).toMatch(/^This account is suspended until .+ UTC: Off-topic posting\./);

    await getDb()
      .update(users)
      .set({ suspendedUntil: sql`now() - interval '1 minute'` })
      .where(eq(users.id, member.id));
    const login = await logIn(member.fields.email, member.fields.password);
    expect(login.status).toBe(302);
    expect(await userRow(member.id)).toMatchObject({
      status: "active",
      statusReason: null,
      suspendedUntil: null,
    });
    const rows = await logRowsFor(member.id);
    expect(rows.map((row) => row.action)).toEqual(["suspend", "reinstate"]);
    expect(rows[1]).toMatchObject({ actorId: null, reason: "Suspension ended" });
  });

  it("lets a session through once its member's suspension has run out", async () => {
    const member = await account();
    await getDb()
      .update(users)
      .set({ status: "suspended", suspendedUntil: sql`now() - interval '1 minute'` })
      .where(eq(users.id, member.id));
    expect(await sessionUserFor(member.cookie)).toMatchObject({ id: member.id, status: "active" });
    await getDb()
      .update(users)
      .set({ suspendedUntil: sql`now() + interval '1 day'` })
      .where(eq(users.id, member.id));
    expect(await sessionUserFor(member.cookie)).toBeNull();
  });
});

describe("banning and restoring", () => {
  it("Ban with removal hides all their posts and comments and keeps the counters right", async () => {
    const moderator = await account("moderator");
    const host = await account();
    const member = await account();
    const tag = `ban-${process.pid.toString(36)}-${Date.now().toString(36)}`;

    const thread = await createPost(host.user);
    const ownPost = await createPost(member.user, { tags: [tag] });
    const heldPost = await createPost(member.user, { status: "pending" });
    const first = await createComment(thread, member.user);
    const second = await createComment(thread, member.user);
    const held = await createComment(thread, member.user, { status: "pending" });
    const hostReply = await createComment(thread, host.user, { parent: first });
    // The tag's count as the app keeps it: its published posts.
    const [tagRow] = await getDb().select().from(tags).where(eq(tags.name, tag));
    await getDb().update(tags).set({ postCount: 1 }).where(eq(tags.id, tagRow!.id));
    const countOf = async (postId: number) =>
      (await getDb().select().from(posts).where(eq(posts.id, postId)))[0]!.commentCount;
    expect(await countOf(thread.id)).toBe(3);

    const answer = await act(moderator.cookie, {
      intent: "ban",
      userId: String(member.id),
      reason: "Spam links in every thread",
      removeContent: "on",
    });
    expect(answer.status, JSON.stringify(answer.data)).toBe(200);
    expect(answer.data?.message).toMatch(/banned.*2 posts and 3 comments removed/);

    expect(await sessionUserFor(member.cookie)).toBeNull();
    const postStatuses = await getDb()
      .select({ id: posts.id, status: posts.status })
      .from(posts)
      .where(eq(posts.authorId, member.id));
    expect(postStatuses.map((post) => post.status)).toEqual(["removed", "removed"]);
    expect(postStatuses.map((post) => post.id).sort()).toEqual([ownPost.id, heldPost.id].sort());
    const commentStatuses = await getDb()
      .select({ id: comments.id, status: comments.status })
      .from(comments)
      .where(eq(comments.postId, thread.id))
      .orderBy(asc(comments.id));
    expect(commentStatuses).toEqual([
      { id: first.id, status: "removed" },
      { id: second.id, status: "removed" },
      { id: held.id, status: "removed" },
      { id: hostReply.id, status: "approved" },
    ]);
    expect(await countOf(thread.id)).toBe(1);
    const [published] = await getDb()
      .select({ count: sql<number>`count(*)::int` })
      .from(postTags)
      .innerJoin(posts, eq(posts.id, postTags.postId))
      .where(and(eq(postTags.tagId, tagRow!.id), eq(posts.status, "published")));
    const [tagAfter] = await getDb().select().from(tags).where(eq(tags.id, tagRow!.id));
    expect(tagAfter!.postCount).toBe(published!.count);
    expect(tagAfter!.postCount).toBe(0);

    const [row] = await logRowsFor(member.id);
    expect(row).toMatchObject({
      action: "ban",
      actorId: moderator.id,
      reason: "Spam links in every thread",
      details: { removeContent: true, removedPosts: 2, removedComments: 3 },
    });
    const login = await logIn(member.fields.email, member.fields.password);
    expect(login.status).toBe(403);
    expect(login.data?.formError).toMatch(/^This account is banned: Spam links in every thread\./);
  });

  it("Ban without removal leaves their writing in place", async () => {
    const moderator = await account("moderator");
    const member = await account();
    const post = await createPost(member.user);
    const answer = await act(moderator.cookie, {
      intent: "ban",
      userId: String(member.id),
      reason: "Harassment",
    });
    expect(answer.status).toBe(200);
    const [row] = await getDb().select().from(posts).where(eq(posts.id, post.id));
    expect(row!.status).toBe("published");
    expect((await userRow(member.id)).status).toBe("banned");
  });

  it("Restore lets a banned member log in again, and is logged", async () => {
    const moderator = await account("moderator");
    const member = await account();
    await act(moderator.cookie, { intent: "ban", userId: String(member.id), reason: "Mistaken identity" });
    const answer = await act(moderator.cookie, {
      intent: "restore",
      userId: String(member.id),
      reason: "Appeal accepted",
    });
    expect(answer.status, JSON.stringify(answer.data)).toBe(200);
    expect(answer.data).toMatchObject({ outcome: "done", message: expect.stringMatching(/restored/) });
    expect(await userRow(member.id)).toMatchObject({ status: "active", statusReason: null });
    expect((await logIn(member.fields.email, member.fields.password)).status).toBe(302);
    const rows = await logRowsFor(member.id);
    expect(rows.map((row) => [row.action, row.actorId, row.reason])).toEqual([
      ["ban", moderator.id, "Mistaken identity"],
      ["reinstate", moderator.id, "Appeal accepted"],
    ]);

    const again = await act(moderator.cookie, { intent: "restore", userId: String(member.id), reason: "" });
    expect(again.status).toBe(409);
    expect(await logRowsFor(member.id)).toHaveLength(2);
  });
});

describe("who may act on whom", () => {
  it("a moderator cannot suspend an admin, another moderator or themselves", async () => {
    const moderator = await account("moderator");
    const otherModerator = await account("moderator");
    const admin = await account("admin");
    for (const target of [admin, otherModerator, moderator]) {
      const answer = await act(moderator.cookie, {
        intent: "suspend",
        userId: String(target.id),
        reason: "Testing the rules",
      });
      expect(answer.status, target.fields.username).toBe(403);
      expect(answer.text).toBeTruthy();
      expect((await userRow(target.id)).status).toBe("active");
      expect(await logRowsFor(target.id)).toHaveLength(0);
    }
    const ban = await act(moderator.cookie, { intent: "ban", userId: String(admin.id), reason: "No" });
    expect(ban.status).toBe(403);
    expect(ban.text).toMatch(/admin/);
  });

  it("an admin may suspend a moderator but not themselves", async () => {
    const admin = await account("admin");
    const moderator = await account("moderator");
    const answer = await act(admin.cookie, {
      intent: "suspend",
      userId: String(moderator.id),
      reason: "Abused the queue",
    });
    expect(answer.status, JSON.stringify(answer.data)).toBe(200);
    expect(await sessionUserFor(moderator.cookie)).toBeNull();
    const self = await act(admin.cookie, { intent: "ban", userId: String(admin.id), reason: "Oops" });
    expect(self.status).toBe(403);
    expect((await userRow(admin.id)).status).toBe("active");
  });

  it("the page offers a moderator only the members they may act on, and no Role select", async () => {
    const moderator = await account("moderator");
    const admin = await account("admin");
    const member = await account();
    const entryFor = async (target: Account) => {
      const { page } = await membersPage(moderator.cookie, `?q=${target.fields.username}`);
      return page.members.find((entry) => entry.id === target.id);
    };
    expect(await entryFor(member)).toMatchObject({ canModerate: true, canChangeRole: false });
    expect(await entryFor(admin)).toMatchObject({ canModerate: false, canChangeRole: false });
    expect(await entryFor(moderator)).toMatchObject({ canModerate: false, canChangeRole: false });
    const { page } = await membersPage(moderator.cookie);
    expect(page.members.every((entry) => !entry.canChangeRole)).toBe(true);

    const forAdmin = await membersPage(admin.cookie, `?q=${member.fields.username}`);
    expect(forAdmin.page.members).toEqual([
      expect.objectContaining({ id: member.id, canModerate: true, canChangeRole: true }),
    ]);
  });
});

describe("changing roles", () => {
  it("an admin makes a member a moderator, and it is logged", async () => {
    const admin = await account("admin");
    const member = await account();
    const answer = await act(admin.cookie, {
      intent: "change-role",
      userId: String(member.id),
      role: "moderator",
    });
    expect(answer.status, JSON.stringify(answer.data)).toBe(200);
    expect(answer.data?.message).toMatch(/now a Moderator/);
    expect((await userRow(member.id)).role).toBe("moderator");
    const [row] = await logRowsFor(member.id);
    expect(row).toMatchObject({
      action: "change_role",
      actorId: admin.id,
      details: { from: "member", to: "moderator" },
    });
    // The new role applies to the session they already have.
    expect((await membersPage(member.cookie)).status).toBe(200);

    const same = await act(admin.cookie, {
      intent: "change-role",
      userId: String(member.id),
      role: "moderator",
    });
    expect(same.status).toBe(409);
    const own = await act(admin.cookie, { intent: "change-role", userId: String(admin.id), role: "member" });
    expect(own.status).toBe(403);
    expect((await userRow(admin.id)).role).toBe("admin");
  });

  it("refuses a forged change-role from a moderator with 403", async () => {
    const moderator = await account("moderator");
    const member = await account();
    const answer = await act(moderator.cookie, {
      intent: "change-role",
      userId: String(member.id),
      role: "admin",
    });
    expect(answer.status).toBe(403);
    expect((await userRow(member.id)).role).toBe("member");
    expect(await logRowsFor(member.id)).toHaveLength(0);
  });

  it("refuses a role that does not exist with 400", async () => {
    const admin = await account("admin");
    const member = await account();
    const answer = await act(admin.cookie, {
      intent: "change-role",
      userId: String(member.id),
      role: "owner",
    });
    expect(answer.status).toBe(400);
    expect(answer.data?.errors?.role).toBeDefined();
  });
});

describe("searching members", () => {
  it("finds members by username and by display name, and never shows an e-mail address", async () => {
    const moderator = await account("moderator");
    const token = `zq${process.pid.toString(36)}${Date.now().toString(36)}`;
    const byUsername = await createMember({ username: `${token}-ana`, displayName: "Ana Okafor" });
    const byName = await createMember({ displayName: `Rosa ${token.toUpperCase()} Lind` });
    await createMember({ displayName: "Someone Else" });

    const usernames = await membersPage(moderator.cookie, `?q=${token}-ana`);
    expect(usernames.page.members.map((entry) => entry.id)).toEqual([byUsername.id]);
    const withAt = await membersPage(moderator.cookie, `?q=%40${token}-a`);
    expect(withAt.page.members.map((entry) => entry.id)).toEqual([byUsername.id]);

    const both = await membersPage(moderator.cookie, `?q=${token}`);
    expect(both.page.members.map((entry) => entry.id).sort()).toEqual([byUsername.id, byName.id].sort());
    expect(JSON.stringify(both.page)).not.toMatch(/@example\.org/);
    expect(both.page.members[0]).not.toHaveProperty("email");

    // % and _ are matched literally, not as wildcards.
    expect((await membersPage(moderator.cookie, "?q=%25%25%25")).page.members).toEqual([]);
  });

  it("pages through many matches 50 at a time, by username, without repeats", async () => {
    const moderator = await account("moderator");
    const token = `pg${process.pid.toString(36)}${Date.now().toString(36)}`;
    for (let index = 0; index < 53; index++) {
      await createMember({ username: `${token}-${String(index).padStart(2, "0")}` });
    }
    const first = await membersPage(moderator.cookie, `?q=${token}`);
    expect(first.page.members).toHaveLength(50);
    expect(first.page.nextCursor).toBe(`${token}-49`);
    const second = await membersPage(
      moderator.cookie,
      `?q=${token}&cursor=${encodeURIComponent(first.page.nextCursor!)}`,
    );
    expect(second.page.members.map((entry) => entry.username)).toEqual([
      `${token}-50`,
      `${token}-51`,
      `${token}-52`,
    ]);
    expect(second.page.nextCursor).toBeNull();

    const forged = await thrownResponse(
      callLoader(membersLoader, "/mod/users?cursor=%3Cscript%3E", {}, { cookie: moderator.cookie }),
    );
    expect(forged.status).toBe(400);
  });

  it("finds suspended members with the status filter", async () => {
    const moderator = await account("moderator");
    const member = await account();
    await act(moderator.cookie, { intent: "suspend", userId: String(member.id), reason: "Flame war" });
    const suspended = await membersPage(moderator.cookie, "?status=suspended");
    expect(suspended.page.members).toContainEqual(
      expect.objectContaining({ id: member.id, status: "suspended", statusReason: "Flame war" }),
    );
    expect(suspended.page.members.every((entry) => entry.status === "suspended")).toBe(true);
    const invalid = await membersPage(moderator.cookie, "?status=deleted");
    expect(invalid.status).toBe(400);
    expect(invalid.page.errors.status).toBeDefined();
  });
});
