import fs from "node:fs";
import path from "node:path";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import * as adminOutbox from "~/routes/admin.outbox";
import * as adminSettings from "~/routes/admin.settings";
import * as commentEdit from "~/routes/comments.$commentId.edit";
import * as commentFlag from "~/routes/comments.$commentId.flag";
import * as commentRevisions from "~/routes/comments.$commentId.revisions";
import * as introduction from "~/routes/introductions.$id";
import * as join from "~/routes/join";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as moderationQueue from "~/routes/mod._index";
import * as moderationLog from "~/routes/mod.log";
import * as members from "~/routes/mod.users";
import * as notifications from "~/routes/notifications";
import * as partners from "~/routes/partners";
import * as introduce from "~/routes/partners_.$username.introduce";
import * as thread from "~/routes/posts.$postId.($slug)";
import * as postEdit from "~/routes/posts.$postId.edit";
import * as postFlag from "~/routes/posts.$postId.flag";
import * as postRevisions from "~/routes/posts.$postId.revisions";
import * as postSummary from "~/routes/posts.$postId.summary";
import * as newPost from "~/routes/posts.new";
import * as settings from "~/routes/settings";
import * as settingsExport from "~/routes/settings_.export";
import {
  buildWorld,
  cookieAs,
  roles,
  signedIn,
  type Outcome,
  type Role,
  type World,
} from "../support/authorization-world";
import { callLoader } from "../support/requests";

// Every page that checks who is asking, opened by every kind of person. The
// action matrix (authorization-matrix.test.ts) does the same for forms.

type Entry = {
  loader: (args: LoaderFunctionArgs) => unknown;
  request: (world: World) => { path: string; params?: Record<string, string> };
  expected: Record<Role, Outcome>;
};

const adminsOnly: Record<Role, Outcome> = { ...signedIn("forbidden"), moderator: "forbidden" };
const authorAndModerators: Record<Role, Outcome> = { ...signedIn("forbidden"), author: "allowed" };
const visitorsOnly: Record<Role, Outcome> = {
  visitor: "allowed",
  suspended: "allowed",
  member: "home",
  author: "home",
  moderator: "home",
  admin: "home",
};

const matrix: Record<string, Entry> = {
  "admin.outbox": {
    loader: adminOutbox.loader,
    request: () => ({ path: "/admin/outbox" }),
    expected: adminsOnly,
  },
  "admin.settings": {
    loader: adminSettings.loader,
    request: () => ({ path: "/admin/settings" }),
    expected: adminsOnly,
  },
  "mod._index": {
    loader: moderationQueue.loader,
    request: () => ({ path: "/mod" }),
    expected: signedIn("forbidden"),
  },
  "mod.log": {
    loader: moderationLog.loader,
    request: () => ({ path: "/mod/log" }),
    expected: signedIn("forbidden"),
  },
  "mod.users": {
    loader: members.loader,
    request: () => ({ path: "/mod/users" }),
    expected: signedIn("forbidden"),
  },
  "comments.$commentId.edit": {
    loader: commentEdit.loader,
    request: (world) => ({
      path: `/comments/${world.comment.id}/edit`,
      params: { commentId: String(world.comment.id) },
    }),
    expected: authorAndModerators,
  },
  "comments.$commentId.flag": {
    loader: commentFlag.loader,
    request: (world) => ({
      path: `/comments/${world.comment.id}/flag`,
      params: { commentId: String(world.comment.id) },
    }),
    expected: { ...signedIn("allowed"), author: "forbidden" },
  },
  "comments.$commentId.revisions": {
    loader: commentRevisions.loader,
    request: (world) => ({
      path: `/comments/${world.comment.id}/revisions`,
      params: { commentId: String(world.comment.id) },
    }),
    expected: authorAndModerators,
  },
  "introductions.$id": {
    loader: introduction.loader,
    request: (world) => ({
      path: `/introductions/${world.introductionId}`,
      params: { id: String(world.introductionId) },
    }),
    // Its sender (the member) and its recipient (the author); a private message, so nobody else.
    expected: {
      ...signedIn("not-found"),
      member: "allowed",
      author: "allowed",
      moderator: "not-found",
      admin: "not-found",
    },
  },
  join: { loader: join.loader, request: () => ({ path: "/join" }), expected: visitorsOnly },
  login: { loader: login.loader, request: () => ({ path: "/login" }), expected: visitorsOnly },
  // A GET changes nothing, so a link or an image elsewhere cannot log anyone out.
  logout: {
    loader: logout.loader,
    request: () => ({ path: "/logout" }),
    expected: {
      visitor: "home",
      suspended: "home",
      member: "home",
      author: "home",
      moderator: "home",
      admin: "home",
    },
  },
  notifications: {
    loader: notifications.loader,
    request: () => ({ path: "/notifications" }),
    expected: signedIn("allowed"),
  },
  partners: {
    loader: partners.loader,
    request: () => ({ path: "/partners" }),
    expected: signedIn("allowed"),
  },
  "partners_.$username.introduce": {
    loader: introduce.loader,
    request: (world) => ({
      path: `/partners/${world.partner.username}/introduce`,
      params: { username: world.partner.username },
    }),
    expected: signedIn("allowed"),
  },
  "posts.$postId.($slug)": {
    loader: thread.loader,
    request: (world) => ({ path: `/posts/${world.post.id}`, params: { postId: String(world.post.id) } }),
    expected: { ...signedIn("allowed"), visitor: "allowed", suspended: "allowed" },
  },
  "posts.$postId.edit": {
    loader: postEdit.loader,
    request: (world) => ({ path: `/posts/${world.post.id}/edit`, params: { postId: String(world.post.id) } }),
    expected: authorAndModerators,
  },
  "posts.$postId.flag": {
    loader: postFlag.loader,
    request: (world) => ({ path: `/posts/${world.post.id}/flag`, params: { postId: String(world.post.id) } }),
    expected: { ...signedIn("allowed"), author: "forbidden" },
  },
  "posts.$postId.revisions": {
    loader: postRevisions.loader,
    request: (world) => ({
      path: `/posts/${world.post.id}/revisions`,
      params: { postId: String(world.post.id) },
    }),
    expected: authorAndModerators,
  },
  "posts.$postId.summary": {
    loader: postSummary.loader,
    request: (world) => ({
      path: `/posts/${world.question.id}/summary`,
      params: { postId: String(world.question.id) },
    }),
    expected: authorAndModerators,
  },
  "posts.new": {
    loader: newPost.loader,
    request: () => ({ path: "/posts/new" }),
    expected: signedIn("allowed"),
  },
  settings: {
    loader: settings.loader,
    request: () => ({ path: "/settings" }),
    expected: signedIn("allowed"),
  },
  "settings_.export": {
    loader: settingsExport.loader,
    request: () => ({ path: "/settings/export" }),
    expected: signedIn("allowed"),
  },
};

/**
 * Pages with no check of who is asking: public reading, feeds, and the pages
 * a link in an e-mail opens. What each shows to whom is tested in its own file.
 */
const openToEveryone = [
  "$",
  "_index",
  "account-deleted",
  "booklists",
  "feed[.]xml",
  "healthz",
  "posts.$postId.booklist[.]csv",
  "posts.$postId.feed[.]xml",
  "posts.similar",
  "reset-password",
  "robots[.]txt",
  "search",
  "sitemap[.]xml",
  "stories",
  "tags.$tag",
  "tags.$tag_.feed[.]xml",
  "tags._index",
  "u.$username",
  "unsubscribe",
];

/** What the person got: the page, or the refusal the loader threw. */
async function outcomeOf(work: Promise<unknown>): Promise<{ outcome: Outcome | "other"; detail: string }> {
  let answer: unknown;
  try {
    answer = await work;
  } catch (error) {
    answer = error;
  }
  if (!(answer instanceof Response)) return { outcome: "allowed", detail: "page data" };
  const location = answer.headers.get("Location") ?? "";
  const detail = `${answer.status} ${location}`;
  if (answer.status === 403) return { outcome: "forbidden", detail };
  if (answer.status === 404) return { outcome: "not-found", detail };
  if (answer.status === 302 && location.startsWith("/login?redirectTo=")) return { outcome: "login", detail };
  if (answer.status === 302 && location === "/") return { outcome: "home", detail };
  // A resource route answers its own Response: the download is the page.
  if (answer.status === 200) return { outcome: "allowed", detail };
  return { outcome: "other", detail };
}

describe("who may open each page", () => {
  it("has an entry for every page but those open to everyone", () => {
    const routesFolder = path.resolve(import.meta.dirname, "../../app/routes");
    const withLoader = fs
      .readdirSync(routesFolder)
      .filter((file) =>
        /export (async )?function loader\b/.test(fs.readFileSync(path.join(routesFolder, file), "utf8")),
      )
      .map((file) => file.replace(/\.tsx?$/, ""))
      .filter((route) => !openToEveryone.includes(route))
      .sort();
    expect(withLoader).toEqual(Object.keys(matrix).sort());
  });

  for (const [route, entry] of Object.entries(matrix)) {
    for (const role of roles) {
      const expected = entry.expected[role];
      it(`${route}: ${role} → ${expected}`, async () => {
        const world = await buildWorld();
        const cookie = await cookieAs(world, role);
        const { path: requestPath, params = {} } = entry.request(world);
        const { outcome, detail } = await outcomeOf(
          callLoader(entry.loader as never, requestPath, params, { cookie }),
        );
        expect(outcome, detail).toBe(expected);
      });
    }
  }
});
