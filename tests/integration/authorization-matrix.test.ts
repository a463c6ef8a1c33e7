import fs from "node:fs";
import path from "node:path";
import type { ActionFunctionArgs } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as schema from "~/db/schema";
import { users } from "~/db/schema";
import { executeRows, getDb } from "~/lib/db.server";
import { BODY_MAX, COMMENT_MAX, TITLE_MAX } from "~/lib/limits";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { unsubscribeToken } from "~/lib/unsubscribe.server";
import { saveModerationPolicy } from "~/models/settings.server";
import * as adminSettings from "~/routes/admin.settings";
import * as commentEdit from "~/routes/comments.$commentId.edit";
import * as commentFlag from "~/routes/comments.$commentId.flag";
import * as forgotPassword from "~/routes/forgot-password";
import * as introduction from "~/routes/introductions.$id";
import * as join from "~/routes/join";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as moderationQueue from "~/routes/mod._index";
import * as members from "~/routes/mod.users";
import * as notificationsPage from "~/routes/notifications";
import * as introduce from "~/routes/partners_.$username.introduce";
import * as thread from "~/routes/posts.$postId.($slug)";
import * as postEdit from "~/routes/posts.$postId.edit";
import * as postFlag from "~/routes/posts.$postId.flag";
import * as postSummary from "~/routes/posts.$postId.summary";
import * as newPost from "~/routes/posts.new";
import * as resetPassword from "~/routes/reset-password";
import * as settings from "~/routes/settings";
import * as unsubscribe from "~/routes/unsubscribe";
import { TEST_PASSWORD } from "../support/factories";
import {
  buildWorld,
  cookieAs,
  cookieFor,
  roles,
  signedIn,
  type Outcome,
  type Role,
  type World,
} from "../support/authorization-world";
import { submitForm } from "../support/requests";

// Every route that changes state, tried by every kind of person. Where the
// answer is a refusal, not one row in the database may have changed.

type Entry = {
  action: (args: ActionFunctionArgs) => unknown;
  request: (world: World) => {
    path: string;
    params?: Record<string, string>;
    fields: Record<string, string>;
  };
  expected: Record<Role, Outcome>;
};

const ownerOnly: Record<Role, Outcome> = { ...signedIn("forbidden"), author: "allowed" };
const everyone: Record<Role, Outcome> = {
  visitor: "allowed",
  member: "allowed",
  author: "allowed",
  suspended: "allowed",
  moderator: "allowed",
  admin: "allowed",
};

let sequence = 0;
const unique = () => `${process.pid.toString(36)}-${++sequence}`;
const key = () => `matrix-key-${unique()}-abcdefgh`;

/** One row per route module with an action, named as the file is ("file#intent" for more rows of one action). */
const matrix: Record<string, Entry> = {
  join: {
    action: join.action,
    request: () => {
      const handle = `matrix-${unique()}`;
      return {
        path: "/join",
        fields: {
          displayName: "Matrix Person",
          username: handle,
          email: `${handle}@example.org`,
          password: "maple syrup on tuesdays",
          libraryType: "public",
        },
      };
    },
    // A suspended member's cookie no longer names a session: they are a visitor again.
    expected: { ...everyone, member: "home", author: "home", moderator: "home", admin: "home" },
  },
  login: {
    action: login.action,
    request: (world) => ({ path: "/login", fields: { email: world.member.email, password: TEST_PASSWORD } }),
    expected: everyone,
  },
  logout: { action: logout.action, request: () => ({ path: "/logout", fields: {} }), expected: everyone },
  "forgot-password": {
    action: forgotPassword.action,
    request: (world) => ({ path: "/forgot-password", fields: { email: world.member.email } }),
    expected: everyone,
  },
  "reset-password": {
    action: resetPassword.action,
    // A token that was never issued: refused with 400 for everyone, and nothing changes.
    request: () => ({
      path: "/reset-password",
      fields: { token: "x".repeat(43), password: "a new long passphrase" },
    }),
    expected: everyone,
  },
  settings: {
    action: settings.action,
    request: () => ({
      path: "/settings",
      fields: {
        intent: "profile",
        displayName: "Renamed",
        libraryType: "school",
        community: "",
        bio: "",
        role: "admin",
      },
    }),
    expected: signedIn("allowed"),
  },
  "settings#notifications": {
    action: settings.action,
    request: () => ({
      path: "/settings",
      fields: {
        intent: "notifications",
        replies: "daily",
        mentions: "weekly",
        watched: "never",
        accepted: "never",
        helpful: "daily",
        moderation: "immediately",
      },
    }),
    expected: signedIn("allowed"),
  },
  "settings#delete-account": {
    action: settings.action,
    // Always the signed-in member's own account: no field names another.
    request: () => ({
      path: "/settings",
      fields: { intent: "delete-account", content: "remove", password: TEST_PASSWORD, userId: "1" },
    }),
    expected: signedIn("allowed"),
  },
  notifications: {
    action: notificationsPage.action,
    request: () => ({ path: "/notifications", fields: { intent: "mark-all-read" } }),
    expected: signedIn("allowed"),
  },
  "posts.new": {
    action: newPost.action,
    request: () => ({
      path: "/posts/new",
      fields: {
        intent: "publish",
        title: "A post from the matrix",
        kind: "idea",
        body: "Body",
        tags: "",
        submissionKey: key(),
        status: "published",
        authorId: "1",
      },
    }),
    expected: signedIn("allowed"),
  },
  "posts.$postId.($slug)": {
    action: thread.action,
    request: (world) => ({
      path: `/posts/${world.post.id}`,
      params: { postId: String(world.post.id) },
      fields: { body: "A reply from the matrix", submissionKey: key() },
    }),
    expected: signedIn("allowed"),
  },
  // The thread's moderation controls share its action.
  "posts.$postId.($slug)#hide": {
    action: thread.action,
    request: (world) => ({
      path: `/posts/${world.post.id}`,
      params: { postId: String(world.post.id) },
      fields: { intent: "hide", reason: "Matrix check" },
    }),
    expected: signedIn("forbidden"),
  },
  "posts.$postId.($slug)#helpful": {
    action: thread.action,
    request: (world) => ({
      path: `/posts/${world.post.id}`,
      params: { postId: String(world.post.id) },
      fields: { intent: "helpful", kind: "comment", id: String(world.comment.id), helpful: "true" },
    }),
    // Nobody marks their own comment helpful.
    expected: { ...signedIn("allowed"), author: "forbidden" },
  },
  "posts.$postId.($slug)#accept": {
    action: thread.action,
    request: (world) => ({
      path: `/posts/${world.question.id}`,
      params: { postId: String(world.question.id) },
      fields: { intent: "accept", commentId: String(world.answer.id) },
    }),
    // Only the asker (the author here) and moderators choose the accepted answer.
    expected: { ...signedIn("forbidden"), author: "allowed" },
  },
  "posts.$postId.($slug)#watch": {
    action: thread.action,
    request: (world) => ({
      path: `/posts/${world.post.id}`,
      params: { postId: String(world.post.id) },
      fields: { intent: "watch" },
    }),
    expected: signedIn("allowed"),
  },
  "posts.$postId.($slug)#unwatch": {
    action: thread.action,
    request: (world) => ({
      path: `/posts/${world.post.id}`,
      params: { postId: String(world.post.id) },
      fields: { intent: "unwatch" },
    }),
    expected: signedIn("allowed"),
  },
  "posts.$postId.($slug)#lock": {
    action: thread.action,
    request: (world) => ({
      path: `/posts/${world.post.id}`,
      params: { postId: String(world.post.id) },
      fields: { intent: "lock", reason: "" },
    }),
    expected: signedIn("forbidden"),
  },
  "posts.$postId.edit": {
    action: postEdit.action,
    request: (world) => ({
      path: `/posts/${world.post.id}/edit`,
      params: { postId: String(world.post.id) },
      fields: {
        intent: "publish",
        title: "An edited title here",
        kind: "idea",
        body: "Edited",
        tags: "",
        authorId: "1",
      },
    }),
    expected: ownerOnly,
  },
  "comments.$commentId.edit": {
    action: commentEdit.action,
    request: (world) => ({
      path: `/comments/${world.comment.id}/edit`,
      params: { commentId: String(world.comment.id) },
      fields: { intent: "save", body: "Edited comment", status: "approved" },
    }),
    expected: ownerOnly,
  },
  "mod._index": {
    action: moderationQueue.action,
    request: (world) => ({
      path: "/mod",
      fields: { intent: "approve", kind: "comment", id: String(world.heldComment.id), reason: "" },
    }),
    expected: signedIn("forbidden"),
  },
  "posts.$postId.flag": {
    action: postFlag.action,
    request: (world) => ({
      path: `/posts/${world.post.id}/flag`,
      params: { postId: String(world.post.id) },
      fields: { reason: "off_topic", note: "" },
    }),
    // Nobody flags their own post.
    expected: { ...signedIn("allowed"), author: "forbidden" },
  },
  "posts.$postId.summary": {
    action: postSummary.action,
    request: (world) => ({
      path: `/posts/${world.question.id}/summary`,
      params: { postId: String(world.question.id) },
      fields: { body: "What the replies taught me.", credit: String(world.answer.id) },
    }),
    // Only the asker (the author here) and moderators summarise the answers.
    expected: ownerOnly,
  },
  "comments.$commentId.flag": {
    action: commentFlag.action,
    request: (world) => ({
      path: `/comments/${world.comment.id}/flag`,
      params: { commentId: String(world.comment.id) },
      fields: { reason: "inappropriate", note: "" },
    }),
    expected: { ...signedIn("allowed"), author: "forbidden" },
  },
  "mod.users": {
    action: members.action,
    request: (world) => ({
      path: "/mod/users",
      fields: { intent: "suspend", userId: String(world.author.id), reason: "Matrix check", until: "" },
    }),
    expected: signedIn("forbidden"),
  },
  unsubscribe: {
    action: unsubscribe.action,
    // The signed link is what authorizes, not a session: it works for whoever holds it.
    request: (world) => ({
      path: `/unsubscribe?${new URLSearchParams({ token: unsubscribeToken(world.member.id, "replies") })}`,
      fields: { "List-Unsubscribe": "One-Click" },
    }),
    expected: everyone,
  },
  "partners_.$username.introduce": {
    action: introduce.action,
    request: (world) => ({
      path: `/partners/${world.partner.username}/introduce`,
      params: { username: world.partner.username },
      fields: { message: "Hello from the matrix." },
    }),
    expected: signedIn("allowed"),
  },
  "introductions.$id#block": {
    action: introduction.action,
    request: (world) => ({
      path: `/introductions/${world.introductionId}`,
      params: { id: String(world.introductionId) },
      fields: { intent: "block" },
    }),
    expected: { ...signedIn("forbidden"), author: "allowed", moderator: "forbidden", admin: "forbidden" },
  },
  "introductions.$id#unblock": {
    action: introduction.action,
    request: (world) => ({
      path: `/introductions/${world.introductionId}`,
      params: { id: String(world.introductionId) },
      fields: { intent: "unblock" },
    }),
    expected: { ...signedIn("forbidden"), author: "allowed", moderator: "forbidden", admin: "forbidden" },
  },
  "admin.settings": {
    action: adminSettings.action,
    request: () => ({
      path: "/admin/settings",
      fields: { trustThreshold: "3", linkLimit: "3", blockedWords: "", holdEverything: "" },
    }),
    expected: { ...signedIn("forbidden"), moderator: "forbidden" },
  },
};

/** Every table of the schema, a new one included without a change here. */
const allTables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => value instanceof PgTable)
  .map((table) => getTableConfig(table).name);

/** A digest of every row of every table, to prove a refused request changed nothing. */
async function fingerprint() {
  const tables = allTables;
  const digests: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await executeRows<{ digest: string | null }>(
      sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${sql.identifier(table)} t`,
    );
    digests[table] = row?.digest ?? "";
  }
  return digests;
}

beforeAll(async () => {
  await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
});

describe("the authorization matrix", () => {
  it("has an entry for every route that has an action", () => {
    const routesFolder = path.resolve(import.meta.dirname, "../../app/routes");
    const withAction = fs
      .readdirSync(routesFolder)
      .filter((file) =>
        /export (async )?function action\b/.test(fs.readFileSync(path.join(routesFolder, file), "utf8")),
      )
      .map((file) => file.replace(/\.tsx?$/, ""))
      .sort();
    expect(withAction).toEqual([...new Set(Object.keys(matrix).map((name) => name.split("#")[0]!))].sort());
  });

  for (const [route, entry] of Object.entries(matrix)) {
    for (const role of roles) {
      const expected = entry.expected[role];
      it(`${route}: ${role} → ${expected}`, async () => {
        const world = await buildWorld();
        const cookie = await cookieAs(world, role);
        const { path: requestPath, params, fields } = entry.request(world);
        const before = await fingerprint();
        const answer = await submitForm(entry.action, requestPath, fields, { cookie, params });

        if (expected === "allowed") {
          expect(answer.status, JSON.stringify(answer.data ?? answer.text)).not.toBe(403);
          expect(answer.location ?? "").not.toMatch(/^\/login/);
          return;
        }
        if (expected === "login") {
          expect(answer.status).toBe(302);
          expect(answer.location).toMatch(/^\/login\?redirectTo=/);
        } else if (expected === "forbidden") {
          expect(answer.status).toBe(403);
        } else if (expected === "not-found") {
          expect(answer.status).toBe(404);
        } else {
          expect(answer.status).toBe(302);
          expect(answer.location).toBe("/");
        }
        expect(await fingerprint()).toEqual(before);
      });
    }
  }
});

describe("fields a person may not set", () => {
  it("ignores a posted status, author or role", async () => {
    const world = await buildWorld();
    const cookie = await cookieFor(world.member);
    await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 5 }, null);
    try {
      const created = await submitForm(
        newPost.action,
        "/posts/new",
        {
          intent: "publish",
          title: "Trying to skip the queue",
          kind: "idea",
          body: "Body",
          tags: "",
          submissionKey: key(),
          status: "published",
          authorId: String(world.admin.id),
        },
        { cookie },
      );
      const postId = Number(/^\/posts\/(\d+)\//.exec(created.location ?? "")?.[1]);
      const [post] = await executeRows<{ author_id: number; status: string }>(
        sql`select author_id, status from posts where id = ${postId}`,
      );
      expect(post).toEqual({ author_id: world.member.id, status: "pending" });
    } finally {
      await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
    }

    await submitForm(
      settings.action,
      "/settings",
      {
        intent: "profile",
        displayName: "Still a member",
        libraryType: "school",
        role: "admin",
        status: "active",
      },
      { cookie },
    );
    const [member] = await getDb().select().from(users).where(eq(users.id, world.member.id));
    expect(member).toMatchObject({ displayName: "Still a member", role: "member" });
  });
});

// What a hostile or broken client may send in a form field.
const hostileValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "title\u0000with a null byte",
    "0",
    "-1",
    "1e309",
    "99999999999999999999",
    "NaN",
    "null",
    "true",
    "on",
    "[object Object]",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "\uD800",
    "\u202Eevil",
    "ｆｕｌｌｗｉｄｔｈ",
    "2026-02-30T25:61",
  ),
  fc.constantFrom("x".repeat(BODY_MAX + 1), "word ".repeat(30_000), "\u{1F4DA}".repeat(12_000)),
);
// A field may be missing, sent once, or sent several times (as a list of checkboxes is).
const hostileField = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: hostileValue },
  { weight: 1, arbitrary: fc.array(hostileValue, { minLength: 2, maxLength: 3 }) },
);

describe("fuzzed forms", () => {
  // As whoever the action lets in, so the fuzz reaches past the guards.
  const actorFor = (expected: Record<Role, Outcome>): Role =>
    (["admin", "author", "member", "visitor"] as const).find((role) => expected[role] === "allowed") ??
    "admin";

  for (const [route, entry] of Object.entries(matrix)) {
    it(`${route}: any field values answer with a page or a refusal, never a server error`, async () => {
      const world = await buildWorld();
      const role = actorFor(entry.expected);
      const user = role === "visitor" ? null : role === "author" ? world.author : world[role];
      const cookie = user ? await cookieFor(user) : undefined;
      const { path: requestPath, params, fields } = entry.request(world);
      const names = [...Object.keys(fields), "intent", "extra"];
      const send = async (sent: Record<string, string | string[]>) => {
        const answer = await submitForm(entry.action, requestPath, sent, { cookie, params });
        expect(
          answer.status,
          `${JSON.stringify(sent).slice(0, 300)} → ${answer.text?.slice(0, 200)}`,
        ).toBeLessThan(500);
      };
      // Every field in turn with the values most likely to break a write, the others left valid...
      for (const name of Object.keys(fields)) {
        for (const value of [
          "\u0000",
          `${fields[name]}\u0000`,
          "\uD800",
          "x".repeat(BODY_MAX + 1),
          ["a", "b"],
        ]) {
          await send({ ...fields, [name]: value });
        }
        const { [name]: _left, ...without } = fields;
        await send(without);
      }
      // ...then random changes to several fields at once.
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.constantFrom(...names), hostileField), async (changes) => {
          const sent: Record<string, string | string[]> = { ...fields };
          for (const [name, value] of Object.entries(changes)) {
            if (value === undefined) delete sent[name];
            else sent[name] = value;
          }
          await send(sent);
        }),
        { numRuns: 25 },
      );
    });
  }

  it("left no stored row past a limit", async () => {
    const [row] = await executeRows<{
      title: number;
      body: number;
      reply: number;
      name: number;
      bio: number;
    }>(sql`
      select
        (select coalesce(max(char_length(title)), 0) from posts) as title,
        (select coalesce(max(char_length(body_md)), 0) from posts) as body,
        (select coalesce(max(char_length(body_md)), 0) from comments) as reply,
        (select coalesce(max(char_length(display_name)), 0) from users) as name,
        (select coalesce(max(char_length(bio)), 0) from users) as bio`);
    expect(row!.title).toBeLessThanOrEqual(TITLE_MAX);
    expect(row!.body).toBeLessThanOrEqual(BODY_MAX);
    expect(row!.reply).toBeLessThanOrEqual(COMMENT_MAX);
    expect(row!.name).toBeLessThanOrEqual(60);
    expect(row!.bio).toBeLessThanOrEqual(2_000);
  });
});
