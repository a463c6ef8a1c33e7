import fs from "node:fs";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { comments, posts, type Comment, type Post, type User } from "~/db/schema";
import type { CommentNode } from "~/lib/comment-tree";
import { countQueries, getDb, recordQueries } from "~/lib/db.server";
import { markdownWork, renderMarkdown } from "~/lib/markdown.server";
import { unsubscribeToken } from "~/lib/unsubscribe.server";
import type { ThreadComment } from "~/models/thread-page.server";
import { toggleHelpful } from "~/models/reactions.server";
import * as rootRoute from "~/root";
import * as notFound from "~/routes/$";
import * as home from "~/routes/_index";
import * as adminOutbox from "~/routes/admin.outbox";
import * as accountDeleted from "~/routes/account-deleted";
import * as adminSettings from "~/routes/admin.settings";
import * as booklists from "~/routes/booklists";
import * as commentEdit from "~/routes/comments.$commentId.edit";
import * as commentFlag from "~/routes/comments.$commentId.flag";
import * as commentRevisions from "~/routes/comments.$commentId.revisions";
import * as siteFeed from "~/routes/feed[.]xml";
import * as forgotPassword from "~/routes/forgot-password";
import * as healthz from "~/routes/healthz";
import * as introduction from "~/routes/introductions.$id";
import * as join from "~/routes/join";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as modQueue from "~/routes/mod._index";
import * as modLog from "~/routes/mod.log";
import * as modUsers from "~/routes/mod.users";
import * as notificationsPage from "~/routes/notifications";
import * as partners from "~/routes/partners";
import * as introduce from "~/routes/partners_.$username.introduce";
import * as thread from "~/routes/posts.$postId.($slug)";
import * as booklistCsv from "~/routes/posts.$postId.booklist[.]csv";
import * as postEdit from "~/routes/posts.$postId.edit";
import * as threadFeed from "~/routes/posts.$postId.feed[.]xml";
import * as postFlag from "~/routes/posts.$postId.flag";
import * as postRevisions from "~/routes/posts.$postId.revisions";
import * as summary from "~/routes/posts.$postId.summary";
import * as newPost from "~/routes/posts.new";
import * as similarPosts from "~/routes/posts.similar";
import * as resetPassword from "~/routes/reset-password";
import * as robots from "~/routes/robots[.]txt";
import * as search from "~/routes/search";
import * as settings from "~/routes/settings";
import * as settingsExport from "~/routes/settings_.export";
import * as sitemap from "~/routes/sitemap[.]xml";
import * as stories from "~/routes/stories";
import * as tag from "~/routes/tags.$tag";
import * as tagFeed from "~/routes/tags.$tag_.feed[.]xml";
import * as tagIndex from "~/routes/tags._index";
import * as profile from "~/routes/u.$username";
import * as unsubscribe from "~/routes/unsubscribe";
import { createComment, createMember, createPost } from "../support/factories";
import { joinedAccount, publishPost, replyTo, type Account } from "../support/member-actions";
import { callLoader, submitForm } from "../support/requests";
import { storyFormFields } from "../support/story-form";

// The budgets of issue 8: a GET writes nothing and cooks no markdown (pages
// serve the HTML stored when the content was saved), and a thread page costs
// the same few statements whatever its number of comments.

type RouteModule = { loader?: (args: LoaderFunctionArgs) => unknown; default?: unknown };

// Every file in app/routes, so that a new route cannot escape the crawl.
const routes = {
  "$.tsx": notFound,
  "_index.tsx": home,
  "account-deleted.tsx": accountDeleted,
  "admin.outbox.tsx": adminOutbox,
  "admin.settings.tsx": adminSettings,
  "booklists.tsx": booklists,
  "comments.$commentId.edit.tsx": commentEdit,
  "comments.$commentId.flag.tsx": commentFlag,
  "comments.$commentId.revisions.tsx": commentRevisions,
  "feed[.]xml.ts": siteFeed,
  "forgot-password.tsx": forgotPassword,
  "healthz.ts": healthz,
  "introductions.$id.tsx": introduction,
  "join.tsx": join,
  "login.tsx": login,
  "logout.tsx": logout,
  "mod._index.tsx": modQueue,
  "mod.log.tsx": modLog,
  "mod.users.tsx": modUsers,
  "notifications.tsx": notificationsPage,
  "partners.tsx": partners,
  "partners_.$username.introduce.tsx": introduce,
  "posts.$postId.($slug).tsx": thread,
  "posts.$postId.booklist[.]csv.ts": booklistCsv,
  "posts.$postId.edit.tsx": postEdit,
  "posts.$postId.feed[.]xml.ts": threadFeed,
  "posts.$postId.flag.tsx": postFlag,
  "posts.$postId.revisions.tsx": postRevisions,
  "posts.$postId.summary.tsx": summary,
  "posts.new.tsx": newPost,
  "posts.similar.ts": similarPosts,
  "reset-password.tsx": resetPassword,
  "robots[.]txt.ts": robots,
  "search.tsx": search,
  "settings.tsx": settings,
  "settings_.export.ts": settingsExport,
  "sitemap[.]xml.ts": sitemap,
  "stories.tsx": stories,
  "tags.$tag.tsx": tag,
  "tags.$tag_.feed[.]xml.ts": tagFeed,
  "tags._index.tsx": tagIndex,
  "u.$username.tsx": profile,
  "unsubscribe.tsx": unsubscribe,
} satisfies Record<string, RouteModule>;

type RouteFile = keyof typeof routes;

type Outcome = { status: number; data: unknown };

type DataWithInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };

function isDataWithInit(value: unknown): value is DataWithInit {
  return (
    typeof value === "object" && value !== null && (value as DataWithInit).type === "DataWithResponseInit"
  );
}

/** What a loader answered, read to the end: a body can be a stream that still queries. */
async function settle(work: () => Promise<unknown>): Promise<Outcome> {
  try {
    // Called in here: a loader that is not async throws its Response synchronously.
    const value = await work();
    if (value instanceof Response) return { status: value.status, data: await value.text() };
    if (isDataWithInit(value)) return { status: value.init?.status ?? 200, data: value.data };
    return { status: 200, data: value };
  } catch (error) {
    if (error instanceof Response) return { status: error.status, data: await error.text() };
    throw error;
  }
}

const isPage = (route: RouteFile) => "default" in routes[route];

/**
 * A GET of `path` as Remix serves it: a page runs the root loader beside its
 * own (every page route is a child of the root); a resource route runs alone.
 */
async function anonymousGet(route: RouteFile, path: string, params: Record<string, string> = {}) {
  const { loader }: RouteModule = routes[route];
  const [root, leaf] = await Promise.all([
    isPage(route) ? settle(() => callLoader(rootRoute.loader, path, params)) : undefined,
    loader ? settle(() => callLoader(loader, path, params)) : undefined,
  ]);
  return { root, leaf };
}

// Statements that change data or take write locks, told apart by their text.
// Literals and quoted names are blanked first, so words inside them never count.
const WRITE_WORDS =
  /\b(?:insert|update|delete|merge|copy|truncate|create|drop|alter|grant|revoke|refresh|vacuum|reindex|cluster|lock|nextval|setval)\b/i;

function isWriteStatement(statement: string) {
  const code = statement.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""');
  return WRITE_WORDS.test(code);
}

function flatten(nodes: CommentNode<ThreadComment>[]): number[] {
  return nodes.flatMap((node) => [node.comment.id, ...flatten(node.replies)]);
}

let keySequence = 0;
const submissionKey = () => `page-budgets-${process.pid}-${++keySequence}-abcdefgh`;

const openThread = (postId: number, cookie?: string) =>
  callLoader(thread.loader, `/posts/${postId}`, { postId: String(postId) }, { cookie });

function bookFields(rows: Partial<Record<"title" | "author" | "isbn" | "grade" | "note", string>>[]) {
  const fields: Record<string, string> = {};
  rows.forEach((row, index) => {
    for (const field of ["title", "author", "isbn", "grade", "note"] as const) {
      fields[`book[${index}][${field}]`] = row[field] ?? "";
    }
  });
  return fields;
}

/** Accepts an answer through the thread's form, as the asker does. */
async function acceptAnswer(asker: Account, postId: number, commentId: number) {
  const answer = await submitForm(
    thread.action,
    `/posts/${postId}`,
    { intent: "accept", commentId: String(commentId) },
    { cookie: asker.cookie, params: { postId: String(postId) } },
  );
  expect(answer.status, answer.text ?? JSON.stringify(answer.data)).toBe(302);
}

/** Writes the summary of answers through its form, crediting `credited`. */
async function summarise(asker: Account, postId: number, body: string, credited: number[]) {
  const answer = await submitForm(
    summary.action,
    `/posts/${postId}/summary`,
    { body, credit: credited.map(String) },
    { cookie: asker.cookie, params: { postId: String(postId) } },
  );
  expect(answer.status, answer.text ?? JSON.stringify(answer.data)).toBe(302);
}

describe("the instruments", () => {
  it("record the text of every statement, tell writes from reads, and count markdown work", async () => {
    const author = await createMember();
    const before = { ...markdownWork };
    const { statements } = await recordQueries(async () => {
      const post = await createPost(author);
      await createComment(post, author);
      await getDb().select().from(posts).where(eq(posts.id, post.id)).for("update");
      await getDb().select({ id: posts.id, updatedAt: posts.updatedAt }).from(posts).limit(1);
    });
    expect(statements.map(isWriteStatement)).toEqual([true, true, true, true, false]);
    expect(isWriteStatement(`select "id" from "comments" where "body_md" = 'delete me'`)).toBe(false);
    // Each render sanitizes too: one post and one comment.
    expect(markdownWork.renders - before.renders).toBe(2);
    expect(markdownWork.sanitizes - before.sanitizes).toBe(2);
    renderMarkdown("**a**");
    expect(markdownWork.renders - before.renders).toBe(3);
  });
});

describe("an anonymous crawl of every GET", () => {
  type Visit = {
    route: RouteFile;
    path: string;
    params?: Record<string, string>;
    status: number;
    /** What the visit must have shown, so that a broken fixture cannot pass as "wrote nothing". */
    check?: (data: unknown) => void;
  };
  const visits: Visit[] = [];

  async function postRow(id: number) {
    const [row] = await getDb().select().from(posts).where(eq(posts.id, id));
    return row;
  }

  async function publishWithForm(author: Account, fields: Record<string, string | string[]>) {
    const answer = await submitForm(
      newPost.action,
      "/posts/new",
      { intent: "publish", submissionKey: submissionKey(), ...fields },
      { cookie: author.cookie },
    );
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    return Number(/^\/posts\/(\d+)\//.exec(answer.location ?? "")?.[1]);
  }

  async function nextCursor(
    loader: (args: LoaderFunctionArgs) => Promise<{ nextCursor: string | null }>,
    path: string,
    params: Record<string, string> = {},
  ) {
    const { nextCursor: cursor } = await callLoader(loader, path, params);
    expect(cursor, `a second page of ${path}`).toEqual(expect.any(String));
    return cursor!;
  }

  beforeAll(async () => {
    const author = await joinedAccount("moderator");
    const helper = await joinedAccount("moderator");
    const bystander = await createMember({ libraryType: "public" });

    // A discussion with replies three deep, a mention, and a deleted reply whose answer stands.
    const discussion = await publishPost(author, {
      kind: "discussion",
      title: "Sharing a summer reading list between the school and the branch",
      body: `We tried a *shared* list last summer. Thanks @${helper.user.username}!`,
      tags: "outreach, summer-reading",
    });
    const first = await replyTo(helper, discussion.id, "We did the **same** thing.");
    const second = await replyTo(author, discussion.id, "Which grades?", first);
    await replyTo(helper, discussion.id, "Grades 3 to 5, mostly.", second);
    const doomed = await replyTo(helper, discussion.id, "A reply that will be deleted.");
    await replyTo(author, discussion.id, "An answer to the deleted reply.", doomed);
    const deletion = await submitForm(
      commentEdit.action,
      `/comments/${doomed}/edit`,
      { intent: "delete" },
      { cookie: helper.cookie, params: { commentId: String(doomed) } },
    );
    expect(deletion.status).toBe(302);
    await createComment((await postRow(discussion.id))!, bystander, { status: "pending" });

    // A question with an accepted answer and a summary of answers.
    const question = await publishPost(author, {
      kind: "question",
      title: "How do we reach a school that never answers?",
      body: "We have written three times.",
      tags: "outreach",
    });
    const accepted = await replyTo(helper, question.id, "Ask the literacy coach.");
    await replyTo(author, question.id, "Try the PTA.");
    await acceptAnswer(author, question.id, accepted);
    await summarise(author, question.id, "**The literacy coach** answered within a week.", [accepted]);

    // A success story and an "I tried this" follow-up.
    const storyFields = storyFormFields;
    const story = await publishWithForm(author, {
      ...storyFields,
      title: "Library card night at back-to-school",
    });
    const followUp = await publishWithForm(helper, {
      ...storyFields,
      title: "Tried the card table at the Lakeside branch",
      triedFrom: String(story),
    });

    // A post with a booklist, and a reply with one of its own.
    const booklistPost = await publishWithForm(author, {
      kind: "idea",
      title: "Our fourth-grade unit booklist",
      body: "The books we pulled for the unit.",
      tags: "booklists",
      ...bookFields([
        { title: "Charlotte's Web", author: "E. B. White", isbn: "0-06-440055-7", grade: "3_5" },
        { title: "Hatchet", author: "Gary Paulsen", note: "Survival unit" },
      ]),
    });
    const bookReply = await submitForm(
      thread.action,
      `/posts/${booklistPost}`,
      { body: "Ours, too.", submissionKey: submissionKey(), ...bookFields([{ title: "Holes" }]) },
      { cookie: helper.cookie, params: { postId: String(booklistPost) } },
    );
    expect(bookReply.status, JSON.stringify(bookReply.data)).toBe(302);

    // Enough posts for a second page, one of them pinned, and one held.
    for (let index = 0; index < 22; index++) {
      await createPost(bystander, {
        tags: ["outreach"],
        title: `Filler post number ${index + 1} for paging`,
      });
    }
    await getDb().update(posts).set({ pinned: true }).where(eq(posts.id, question.id));
    const held = await createPost(bystander, { status: "pending" });

    const page = (route: RouteFile, path: string, check?: Visit["check"]) =>
      visits.push({ route, path, status: 200, check });
    const threadPage = (id: number, query = "", check?: Visit["check"]) =>
      visits.push({
        route: "posts.$postId.($slug).tsx",
        path: `/posts/${id}${query}`,
        params: { postId: String(id) },
        status: 200,
        check,
      });
    const withId = (route: RouteFile, path: string, params: Record<string, string>, status: number) =>
      visits.push({ route, path, params, status });

    const listed = (count: number) => (data: unknown) =>
      expect((data as { posts: unknown[] }).posts.length).toBeGreaterThanOrEqual(count);
    page("_index.tsx", "/", listed(20));
    for (const sort of ["active", "new", "top", "unanswered"]) page("_index.tsx", `/?sort=${sort}`);
    for (const period of ["week", "month", "year", "all"]) page("_index.tsx", `/?sort=top&period=${period}`);
    for (const kind of ["question", "idea", "story", "discussion"])
      page("_index.tsx", `/?kind=${kind}`, listed(1));
    for (const name of ["outreach", "booklists", "no-posts-yet"]) page("_index.tsx", `/?tag=${name}`);
    page("_index.tsx", "/?tag=outreach&sort=new&kind=question", listed(1));
    const homeCursor = await nextCursor(home.loader, "/");
    page("_index.tsx", `/?cursor=${encodeURIComponent(homeCursor)}`, listed(1));

    threadPage(discussion.id, "", (data) => {
      const shown = data as Awaited<ReturnType<typeof thread.loader>>;
      expect(flatten(shown.comments)).toHaveLength(5);
    });
    threadPage(discussion.id, `/${discussion.slug}`);
    threadPage(discussion.id, `/${discussion.slug}?replyTo=${first}`);
    threadPage(question.id, `/${question.slug}`, (data) => {
      const shown = data as Awaited<ReturnType<typeof thread.loader>>;
      expect(shown.acceptedAnswer?.id).toBe(accepted);
      expect(shown.answerSummary?.bodyHtml).toContain("<strong>");
    });
    threadPage(story, "", (data) => {
      const shown = data as Awaited<ReturnType<typeof thread.loader>>;
      expect(shown.story?.triedBy).toHaveLength(1);
    });
    threadPage(followUp, "", (data) => {
      expect((data as Awaited<ReturnType<typeof thread.loader>>).story?.triedFrom?.id).toBe(story);
    });
    threadPage(booklistPost, "", (data) => {
      const shown = data as Awaited<ReturnType<typeof thread.loader>>;
      expect(shown.booklist).toHaveLength(2);
      expect(Object.values(shown.commentBooklists)).toHaveLength(1);
    });
    withId("posts.$postId.($slug).tsx", `/posts/${held.id}`, { postId: String(held.id) }, 404);
    withId("posts.$postId.($slug).tsx", "/posts/999999", { postId: "999999" }, 404);

    page("tags._index.tsx", "/tags");
    withId("tags.$tag.tsx", "/tags/outreach", { tag: "outreach" }, 200);
    withId("tags.$tag.tsx", "/tags/outreach?sort=top&period=all", { tag: "outreach" }, 200);
    const tagCursor = await nextCursor(tag.loader, "/tags/outreach", { tag: "outreach" });
    withId(
      "tags.$tag.tsx",
      `/tags/outreach?cursor=${encodeURIComponent(tagCursor)}`,
      { tag: "outreach" },
      200,
    );
    withId("tags.$tag.tsx", "/tags/no-such-tag", { tag: "no-such-tag" }, 404);

    const found = (data: unknown) =>
      expect((data as { results: unknown[] }).results.length).toBeGreaterThanOrEqual(1);
    page("search.tsx", "/search");
    page("search.tsx", "/search?q=school", found);
    page("search.tsx", "/search?q=literacy+coach", found);
    page("search.tsx", `/search?q=${encodeURIComponent('"card table" or summer -nothing')}`, found);
    page("search.tsx", "/search?q=school&kind=question&tag=outreach&library=public", found);

    page("stories.tsx", "/stories", (data) =>
      expect((data as { stories: unknown[] }).stories).toHaveLength(2),
    );
    page("stories.tsx", "/stories?partner=school_library&grade=k_2&program=library_card_drive");
    page("booklists.tsx", "/booklists", (data) =>
      expect((data as { books: unknown[] }).books.length).toBeGreaterThanOrEqual(2),
    );
    page("booklists.tsx", "/booklists?q=hatchet&grade=3_5");

    withId("u.$username.tsx", `/u/${author.user.username}`, { username: author.user.username }, 200);
    withId("u.$username.tsx", "/u/nobody-by-that-name", { username: "nobody-by-that-name" }, 404);

    page("account-deleted.tsx", "/account-deleted?content=removed");
    page("login.tsx", "/login?redirectTo=%2Fposts%2Fnew");
    page("join.tsx", "/join");
    page("forgot-password.tsx", "/forgot-password");
    page("reset-password.tsx", "/reset-password");
    page("reset-password.tsx", "/reset-password?token=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    page("unsubscribe.tsx", `/unsubscribe?token=${unsubscribeToken(helper.user.id, "daily-digest")}`);
    withId("$.tsx", "/no/such/page", { "*": "no/such/page" }, 404);

    // Resource routes: no root loader.
    page("feed[.]xml.ts", "/feed.xml");
    withId(
      "posts.$postId.feed[.]xml.ts",
      `/posts/${discussion.id}/feed.xml`,
      { postId: String(discussion.id) },
      200,
    );
    withId("tags.$tag_.feed[.]xml.ts", "/tags/outreach/feed.xml", { tag: "outreach" }, 200);
    page("sitemap[.]xml.ts", "/sitemap.xml");
    page("robots[.]txt.ts", "/robots.txt");
    page("healthz.ts", "/healthz");
    withId(
      "posts.$postId.booklist[.]csv.ts",
      `/posts/${booklistPost}/booklist.csv`,
      { postId: String(booklistPost) },
      200,
    );
    page("posts.similar.ts", `/posts/similar?title=${encodeURIComponent("reach a school")}`, (data) =>
      expect(JSON.parse(String(data)).posts.length).toBeGreaterThanOrEqual(1),
    );
    withId("logout.tsx", "/logout", {}, 302);

    // Members' pages send a visitor to log in; that answer must not write either.
    const toLogin = (route: RouteFile, path: string, params: Record<string, string> = {}) =>
      withId(route, path, params, 302);
    toLogin("posts.new.tsx", `/posts/new?triedFrom=${story}`);
    toLogin("posts.$postId.edit.tsx", `/posts/${discussion.id}/edit`, { postId: String(discussion.id) });
    toLogin("posts.$postId.flag.tsx", `/posts/${discussion.id}/flag`, { postId: String(discussion.id) });
    toLogin("posts.$postId.revisions.tsx", `/posts/${discussion.id}/revisions`, {
      postId: String(discussion.id),
    });
    toLogin("posts.$postId.summary.tsx", `/posts/${question.id}/summary`, { postId: String(question.id) });
    toLogin("comments.$commentId.edit.tsx", `/comments/${first}/edit`, { commentId: String(first) });
    toLogin("comments.$commentId.flag.tsx", `/comments/${first}/flag`, { commentId: String(first) });
    toLogin("comments.$commentId.revisions.tsx", `/comments/${first}/revisions`, {
      commentId: String(first),
    });
    toLogin("settings.tsx", "/settings");
    toLogin("settings_.export.ts", "/settings/export");
    toLogin("notifications.tsx", "/notifications");
    toLogin("partners.tsx", "/partners");
    toLogin("partners_.$username.introduce.tsx", `/partners/${helper.user.username}/introduce`, {
      username: helper.user.username,
    });
    toLogin("introductions.$id.tsx", "/introductions/1", { id: "1" });
    toLogin("mod._index.tsx", "/mod");
    toLogin("mod.log.tsx", "/mod/log");
    toLogin("mod.users.tsx", "/mod/users");
    toLogin("admin.settings.tsx", "/admin/settings");
    toLogin("admin.outbox.tsx", "/admin/outbox");
  });

  it("visits every route in app/routes", () => {
    const files = fs.readdirSync(new URL("../../app/routes", import.meta.url)).sort();
    expect(files).toEqual(Object.keys(routes).sort());
    const visited = new Set(visits.map((visit) => visit.route));
    expect(Object.keys(routes).filter((route) => !visited.has(route as RouteFile))).toEqual([]);
  });

  it("sends no data-modifying statement and renders or sanitizes no markdown", async () => {
    const writes: string[] = [];
    const cooking: string[] = [];
    for (const visit of visits) {
      const label = `${isPage(visit.route) ? "page" : "resource"} GET ${visit.path}`;
      const before = { ...markdownWork };
      const { result, statements } = await recordQueries(() =>
        anonymousGet(visit.route, visit.path, visit.params),
      );
      expect(result.leaf?.status ?? result.root?.status, label).toBe(visit.status);
      if (result.root) expect(result.root.status, `${label} (root)`).toBe(200);
      if (visit.check) {
        visit.check(result.leaf?.data);
        // Content came from the database, so the recorder must have seen its reads.
        expect(statements.length, `${label} was recorded`).toBeGreaterThan(0);
      }
      for (const statement of statements.filter(isWriteStatement)) writes.push(`${label}: ${statement}`);
      const renders = markdownWork.renders - before.renders;
      const sanitizes = markdownWork.sanitizes - before.sanitizes;
      if (renders || sanitizes) cooking.push(`${label}: ${renders} renders, ${sanitizes} sanitizes`);
    }
    expect(writes).toEqual([]);
    expect(cooking).toEqual([]);
  });
});

describe("SQL statements per thread page", () => {
  const SIZES = [20, 100, 1_000] as const;
  type Size = (typeof SIZES)[number];
  type Threads = Record<Size, { id: number; total: number }>;
  const threads: Record<"discussion" | "question", Threads> = {
    discussion: {} as Threads,
    question: {} as Threads,
  };
  let member: Account;

  /**
   * `total` approved comments in three set-based inserts, cooked as the app
   * cooks them: half answer the post, a quarter answer those, and the rest
   * answer the second level.
   */
  async function addComments(post: Post, authors: User[], total: number): Promise<Comment[]> {
    const start = Date.now() - 10 * 24 * 60 * 60 * 1000;
    const levels = [Math.ceil(total / 2), Math.ceil(total / 4)];
    levels.push(total - levels[0]! - levels[1]!);
    const inserted: Comment[] = [];
    let parents: Comment[] = [];
    let sequence = 0;
    for (const count of levels) {
      const rows = Array.from({ length: count }, (_, index) => {
        const body = `Reply ${++sequence} about **the branch** and the school`;
        const parent = parents.length > 0 ? parents[index % parents.length]! : undefined;
        const createdAt = new Date(start + sequence * 1000);
        return {
          postId: post.id,
          parentId: parent?.id ?? null,
          depth: parent ? parent.depth + 1 : 1,
          authorId: authors[sequence % authors.length]!.id,
          bodyMd: body,
          bodyHtml: renderMarkdown(body),
          status: "approved" as const,
          createdAt,
          updatedAt: createdAt,
        };
      });
      parents = await getDb().insert(comments).values(rows).returning();
      inserted.push(...parents);
    }
    await getDb()
      .update(posts)
      .set({
        commentCount: sql`${posts.commentCount} + ${total}`,
        lastActivityAt: new Date(start + total * 1000),
      })
      .where(eq(posts.id, post.id));
    return inserted;
  }

  beforeAll(async () => {
    const asker = await joinedAccount("moderator");
    member = await joinedAccount("member");
    const authors = await Promise.all([createMember(), createMember({ libraryType: "public" }), asker.user]);
    for (const total of SIZES) {
      const discussion = await createPost(asker.user, { kind: "discussion", tags: ["outreach"] });
      const discussionComments = await addComments(discussion, authors, total);
      threads.discussion[total] = { id: discussion.id, total };

      const question = await createPost(asker.user, { kind: "question", tags: ["outreach"] });
      const answers = await addComments(question, authors, total);
      const best = answers[0]!;
      await acceptAnswer(asker, question.id, best.id);
      await summarise(asker, question.id, "**The first answer** worked.", [best.id, answers[1]!.id]);
      threads.question[total] = { id: question.id, total };

      // The member has marked a few replies Helpful in each thread.
      for (const comment of [...discussionComments.slice(0, 5), ...answers.slice(0, 5)]) {
        await toggleHelpful({ userId: member.user.id, target: { kind: "comment", id: comment.id } });
      }
    }
  });

  /** The statements of one thread page: its loader beside the root loader. */
  async function measure(kind: "discussion" | "question", total: Size, cookie?: string) {
    const { id } = threads[kind][total];
    const { result, queries } = await countQueries(() =>
      Promise.all([
        callLoader(rootRoute.loader, `/posts/${id}`, { postId: String(id) }, { cookie }),
        openThread(id, cookie),
      ]),
    );
    const [root, page] = result;
    // The first page: 20 conversations, of three comments each once the thread has more than 20.
    expect(flatten(page.comments)).toHaveLength(Math.min(total, 60));
    expect(page.pages.count).toBe(Math.ceil(total / 2 / 20));
    if (kind === "question") {
      expect(page.acceptedAnswer).not.toBeNull();
      expect(page.answerSummary).not.toBeNull();
    }
    expect(root.user?.username ?? null).toBe(cookie ? member.user.username : null);
    if (cookie) expect(page.viewerVotes.commentIds).toHaveLength(5);
    return queries;
  }

  for (const kind of ["discussion", "question"] as const) {
    it(`a visitor's ${kind} page sends at most 3 statements, the same for 20, 100 and 1,000 comments`, async () => {
      const counts: Record<string, number> = {};
      for (const total of SIZES) counts[total] = await measure(kind, total);
      expect(new Set(Object.values(counts)).size, JSON.stringify(counts)).toBe(1);
      expect(counts[20], JSON.stringify(counts)).toBeLessThanOrEqual(3);
    });

    it(`a member's ${kind} page sends at most 3 statements, the same for 20, 100 and 1,000 comments`, async () => {
      const counts: Record<string, number> = {};
      for (const total of SIZES) counts[total] = await measure(kind, total, member.cookie);
      expect(new Set(Object.values(counts)).size, JSON.stringify(counts)).toBe(1);
      expect(counts[20], JSON.stringify(counts)).toBeLessThanOrEqual(3);
    });
  }
});
