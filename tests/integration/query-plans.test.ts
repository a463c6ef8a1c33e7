import type { LoaderFunctionArgs } from "@remix-run/node";
import { sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { executeRows, getDb, recordQueries } from "~/lib/db.server";
import { NOTIFICATIONS_PAGE_SIZE } from "~/models/notifications.server";
import { POSTS_PER_PAGE } from "~/models/posts.server";
import * as rootRoute from "~/root";
import * as home from "~/routes/_index";
import * as siteFeed from "~/routes/feed[.]xml";
import * as modLog from "~/routes/mod.log";
import * as notificationsPage from "~/routes/notifications";
import * as thread from "~/routes/posts.$postId.($slug)";
import * as tag from "~/routes/tags.$tag";
import * as profile from "~/routes/u.$username";
import { joinedAccount, type Account } from "../support/member-actions";
import { callLoader } from "../support/requests";

// Issue 8: every list a page shows is read from an index in the page's order,
// so a page costs the same on a forum of 5,000 posts as on one of 50. The
// statements checked are the ones the loaders really send (recordQueries keeps
// their text and parameters), run again under EXPLAIN ANALYZE with the same
// parameters. The bug this guards against: keyset indexes built `desc nulls
// last` while the queries order by `desc` (nulls first), so Postgres read and
// sorted every published post for each home page (drizzle/0005 fixed it).
//
// The rule, from what the plan really did (so a branch that never ran does not
// count): no list query reads a growing table whole (Seq Scan), and no scan or
// sort in it handles more than ROW_LIMIT rows of one. A list read from an index
// in its order stops after a page; one that is not has to read, then sort, all
// of its candidates. An Incremental Sort counts only the rows it pulled: the
// index gave it the order of all but ties.

/** Tables that grow with the forum. */
const GROWING_TABLES = ["posts", "comments", "notifications", "moderation_actions"];
/** Far more rows than any list shows a page of, far fewer than the forum holds. */
const ROW_LIMIT = 1_000;

const FORUM = { members: 200, posts: 5_000, comments: 20_000, tags: 20, bigThreadReplies: 1_500 };
/** A member who wrote a quarter of everything, so a profile's lists are not short by luck. */
const PROLIFIC = "seed-1";

type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Sort Key"?: string[];
  "Plan Rows": number;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  Plans?: PlanNode[];
};

type Explained = { statement: string; plan: PlanNode };

/** A read that lists rows in an order: what a page shows as a list (counts and lookups are not). */
const isListQuery = (statement: string) =>
  /^\s*\(?\s*(?:select|with)\b/i.test(statement) && /\border by\b/i.test(statement);

/** The statement as sent, its placeholders ($1, $2, …) bound to the values sent with it. */
function boundStatement(statement: string, parameters: unknown[]): SQL {
  const chunks: SQL[] = [];
  let rest = 0;
  for (const match of statement.matchAll(/\$(\d+)/g)) {
    const index = Number(match[1]) - 1;
    if (index >= parameters.length) throw new Error(`No parameter for $${index + 1} in: ${statement}`);
    chunks.push(sql.raw(statement.slice(rest, match.index)), sql`${sql.param(parameters[index])}`);
    rest = match.index + match[0].length;
  }
  chunks.push(sql.raw(statement.slice(rest)));
  return sql.join(chunks);
}

async function explain(statement: string, parameters: unknown[]): Promise<PlanNode> {
  const [row] = await executeRows<{ "QUERY PLAN": unknown }>(
    sql`explain (analyze, timing off, format json) ${boundStatement(statement, parameters)}`,
  );
  const output = row?.["QUERY PLAN"];
  const [top] = (typeof output === "string" ? JSON.parse(output) : output) as { Plan: PlanNode }[];
  return top!.Plan;
}

function* walk(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* walk(child);
}

const growingTableOf = (node: PlanNode) =>
  node["Relation Name"] && GROWING_TABLES.includes(node["Relation Name"]) ? node["Relation Name"] : null;

const loops = (node: PlanNode) => node["Actual Loops"] ?? 0;
/** Rows a node handed up over all its runs; per-run counts are averages. */
const rowsOut = (node: PlanNode) => (node["Actual Rows"] ?? 0) * loops(node);
/** Rows a scan looked at over all its runs: those it kept and those its conditions threw away. */
const rowsRead = (node: PlanNode) =>
  rowsOut(node) +
  ((node["Rows Removed by Filter"] ?? 0) + (node["Rows Removed by Index Recheck"] ?? 0)) * loops(node);

/** What the plan shows the query doing that grows with the forum. */
function problemsIn(plan: PlanNode, rowLimit: number): string[] {
  const problems: string[] = [];
  for (const node of walk(plan)) {
    const type = node["Node Type"];
    const table = growingTableOf(node);
    if (table && loops(node) > 0 && type === "Seq Scan") problems.push(`reads all of ${table} (Seq Scan)`);
    else if (table && rowsRead(node) > rowLimit) {
      problems.push(`reads ${Math.round(rowsRead(node))} rows of ${table} (${type})`);
    }
    if (type.endsWith("Sort")) {
      const input = Math.round((node.Plans ?? []).reduce((sum, child) => sum + rowsOut(child), 0));
      const tables = new Set([...walk(node)].map(growingTableOf).filter(Boolean));
      if (input > rowLimit && tables.size > 0) {
        problems.push(`sorts ${input} rows of ${[...tables].join(", ")} (${type})`);
      }
    }
  }
  return problems;
}

/** The plan as EXPLAIN prints it, one node a line, for a failure message. */
function outline(node: PlanNode, depth = 0): string {
  const on = node["Relation Name"] ? ` on ${node["Relation Name"]}` : "";
  const using = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  const by = node["Sort Key"] ? ` by ${node["Sort Key"].join(", ")}` : "";
  const rows = ` (rows: planned ${node["Plan Rows"]}, out ${Math.round(rowsOut(node))}, read ${Math.round(rowsRead(node))})`;
  const line = `${"  ".repeat(depth)}${node["Node Type"]}${on}${using}${by}${rows}`;
  return [line, ...(node.Plans ?? []).map((child) => outline(child, depth + 1))].join("\n");
}

/**
 * Runs `work` (a page's loaders), EXPLAINs every list query it sent, and
 * asserts the rule above. Answers what `work` answered and the plans.
 */
async function expectIndexServed<T>(
  page: string,
  work: () => Promise<T>,
  { rowLimit = ROW_LIMIT }: { rowLimit?: number } = {},
) {
  const { result, statements, parameters } = await recordQueries(work);
  const explained: Explained[] = [];
  for (const [index, statement] of statements.entries()) {
    if (isListQuery(statement)) {
      explained.push({ statement, plan: await explain(statement, parameters[index] ?? []) });
    }
  }
  const report = explained.flatMap(({ statement, plan }) => {
    const problems = problemsIn(plan, rowLimit);
    return problems.length === 0 ? [] : [`${problems.join("; ")}\n${statement}\n${outline(plan)}`];
  });
  expect(report, `${page}:\n${report.join("\n\n")}`).toEqual([]);
  return { result, explained };
}

/** The growing tables the page's lists read through a plain index scan, which gives index order. */
function tablesReadInIndexOrder(explained: Explained[]) {
  const tables = new Set<string>();
  for (const { plan } of explained) {
    for (const node of walk(plan)) {
      const table = growingTableOf(node);
      if (table && /^Index (Only )?Scan$/.test(node["Node Type"])) tables.add(table);
    }
  }
  return [...tables];
}

/** A page's GET as Remix serves it: the root loader, then the page's own. */
function pageLoaders<T>(
  loader: (args: LoaderFunctionArgs) => Promise<T>,
  path: string,
  params: Record<string, string> = {},
  cookie?: string,
) {
  return async () => {
    const root = await callLoader(rootRoute.loader, path, params, { cookie });
    const page = await callLoader(loader, path, params, { cookie });
    return { root, page };
  };
}

describe(`a forum of ${FORUM.posts} posts and ${FORUM.comments} replies, where no page's list reads a growing table whole or reads or sorts more than ${ROW_LIMIT} rows of one`, () => {
  let member: Account;
  let moderator: Account;
  let busiestTag: string;
  let bigThread: { id: number; replies: number };

  /**
   * The forum in set-based statements: members, posts (a tenth held, two
   * pinned), replies (one thread with many), tags, story cards, notifications
   * and a moderation log, with the counters the app keeps in step; then
   * ANALYZE, so the planner knows the sizes.
   */
  beforeAll(async () => {
    const db = getDb();
    const authorOf = (number: SQL) =>
      sql`case when ${number} % 4 = 1 then ${PROLIFIC} else 'seed-' || (${number} % ${FORUM.members} + 1) end`;
    await db.execute(sql`
      insert into users (email, username, display_name, password_hash, library_type)
      select 'seed-' || g || '@example.org', 'seed-' || g, 'Seeded member ' || g, 'not-a-hash',
             (array['school', 'public', 'academic', 'other'])[g % 4 + 1]::library_type
      from generate_series(1, ${FORUM.members}) g`);
    await db.execute(sql`
      insert into posts (author_id, kind, title, slug, body_md, body_html, status, helpful_count,
                         pinned, created_at, updated_at, last_activity_at)
      select u.id, (array['question', 'idea', 'story', 'discussion'])[(g / 4) % 4 + 1]::post_kind,
             'Seeded post number ' || g, 'seeded-post-number-' || g,
             'What worked for us, part ' || g, '<p>What worked for us, part ' || g || '</p>',
             (case when g % 10 = 0 then 'pending' else 'published' end)::post_status,
             (g * 7919) % 97, g in (4001, 4003), at, at, at
      from generate_series(1, ${FORUM.posts}) g
      cross join lateral (select now() - (${FORUM.posts} - g) * interval '3 hours' as at) t
      join users u on u.username = ${authorOf(sql`g`)}`);
    await db.execute(sql`
      with published as (
        select id, created_at, row_number() over (order by id) as n from posts where status = 'published'
      ),
      total as (select count(*) as n from published)
      insert into comments (post_id, author_id, body_md, body_html, status, created_at, updated_at, deleted_at)
      select p.id, u.id, 'A reply, number ' || g, '<p>A reply, number ' || g || '</p>',
             (case when g % 50 = 0 then 'pending' else 'approved' end)::comment_status,
             p.created_at + g * interval '1 second', p.created_at + g * interval '1 second',
             case when g % 97 = 0 then p.created_at + g * interval '1 second' end
      from generate_series(1, ${FORUM.comments}) g
      cross join total
      join published p on p.n = case when g <= ${FORUM.bigThreadReplies} then total.n - 100
                                     else (g * 7919) % total.n + 1 end
      join users u on u.username = ${authorOf(sql`g`)}`);
    await db.execute(sql`
      update posts p set comment_count = c.approved, last_activity_at = greatest(p.created_at, c.latest)
      from (select post_id, count(*) filter (where status = 'approved')::int as approved, max(created_at) as latest
            from comments group by post_id) c
      where c.post_id = p.id`);
    await db.execute(
      sql`insert into tags (name) select 'topic-' || g from generate_series(1, ${FORUM.tags}) g`,
    );
    // Two tags a post; the first four tags are each on a quarter of the posts.
    await db.execute(sql`
      insert into post_tags (post_id, tag_id)
      select distinct p.id, t.id
      from posts p
      cross join lateral (values ('topic-' || (p.id % 4 + 1)), ('topic-' || (p.id / 7 % ${FORUM.tags} + 1))) v(name)
      join tags t on t.name = v.name`);
    await db.execute(sql`
      update tags t set post_count = (
        select count(*) from post_tags pt join posts p on p.id = pt.post_id
        where pt.tag_id = t.id and p.status = 'published')`);
    await db.execute(sql`
      insert into story_details (post_id, program_type, partners, grade_bands, reach)
      select id, 'class_visit', '{school_library,public_library}', '{3_5}', id % 300
      from posts where kind = 'story'`);

    member = await joinedAccount("member");
    moderator = await joinedAccount("moderator");
    // 2,000 for the member, 100 for each seeded member.
    await db.execute(sql`
      insert into notifications (user_id, kind, actor_id, post_id, message, read_at, created_at)
      select case when g <= 2000 then ${member.user.id}::int else u.id end, 'reply', u.id, p.id, '',
             case when g % 3 = 0 then now() end, now() - g * interval '5 minutes'
      from generate_series(1, 2000 + 100 * ${FORUM.members}) g
      join users u on u.username = 'seed-' || (g % ${FORUM.members} + 1)
      join posts p on p.id = (select min(id) from posts) + g % ${FORUM.posts}`);
    await db.execute(sql`
      insert into moderation_actions (actor_id, action, post_id, reason, created_at)
      select ${moderator.user.id}::int, 'approve', p.id, '', now() - g * interval '7 minutes'
      from generate_series(1, 5000) g
      join posts p on p.id = (select min(id) from posts) + g % ${FORUM.posts}`);
    await db.execute(sql`analyze`);

    const [row] = await executeRows<{ tag: string; thread: number; replies: number }>(sql`
      select (select name from tags order by post_count desc, name limit 1) as tag, post_id as thread,
             count(*)::int as replies
      from comments group by post_id order by count(*) desc limit 1`);
    busiestTag = row!.tag;
    bigThread = { id: row!.thread, replies: row!.replies };
  });

  it("serves the home page's list (most active first, pinned posts above) from indexes in page order, whatever the size of the forum", async () => {
    const { result, explained } = await expectIndexServed("/", pageLoaders(home.loader, "/"));
    expect(result.page.posts).toHaveLength(POSTS_PER_PAGE);
    expect(result.page.pinned).toHaveLength(2);
    expect(tablesReadInIndexOrder(explained)).toContain("posts");
  });

  for (const [path, list] of [
    ["/?sort=new", "newest first"],
    ["/?sort=top&period=all", "most helpful of all time"],
    ["/?kind=question", "of questions"],
  ] as const) {
    it(`serves the home page's list ${list} (${path}) from an index in page order, whatever the size of the forum`, async () => {
      const { result, explained } = await expectIndexServed(path, pageLoaders(home.loader, path));
      expect(result.page.posts).toHaveLength(POSTS_PER_PAGE);
      expect(result.page.nextCursor).toEqual(expect.any(String));
      expect(tablesReadInIndexOrder(explained)).toContain("posts");
    });
  }

  it("serves the home page's next page from an index in page order, starting where the first page ended", async () => {
    const first = await callLoader(home.loader, "/");
    const path = `/?cursor=${encodeURIComponent(first.nextCursor!)}`;
    const { result, explained } = await expectIndexServed(path, pageLoaders(home.loader, path));
    expect(result.page.posts).toHaveLength(POSTS_PER_PAGE);
    expect(result.page.posts.map((post) => post.id)).not.toContain(first.posts.at(-1)!.id);
    expect(tablesReadInIndexOrder(explained)).toContain("posts");
  });

  it("serves a busy tag's page from an index in page order, not by sorting every post with the tag", async () => {
    const path = `/tags/${busiestTag}`;
    const { result, explained } = await expectIndexServed(
      path,
      pageLoaders(tag.loader, path, { tag: busiestTag }),
    );
    expect(result.page.posts).toHaveLength(POSTS_PER_PAGE);
    expect(result.page.posts.every((post) => post.tags.includes(busiestTag))).toBe(true);
    expect(tablesReadInIndexOrder(explained)).toContain("posts");
  });

  it("serves a prolific member's profile (their latest posts and replies) from indexes in page order", async () => {
    const path = `/u/${PROLIFIC}`;
    const { result, explained } = await expectIndexServed(
      path,
      pageLoaders(profile.loader, path, { username: PROLIFIC }),
    );
    expect(result.page.posts).toHaveLength(POSTS_PER_PAGE);
    expect(result.page.comments).toHaveLength(20);
    expect(tablesReadInIndexOrder(explained)).toEqual(expect.arrayContaining(["comments", "posts"]));
  });

  // A thread page numbers the thread's conversations to find its page, so it may
  // read as many rows as the thread has; what it must not do is read the forum's
  // replies to find them.
  it("finds a long thread's replies through the thread's index, never by reading every reply on the forum", async () => {
    const path = `/posts/${bigThread.id}`;
    const { result, explained } = await expectIndexServed(
      path,
      pageLoaders(thread.loader, path, { postId: String(bigThread.id) }),
      { rowLimit: bigThread.replies },
    );
    expect(bigThread.replies).toBeGreaterThan(ROW_LIMIT);
    expect(result.page.post.commentCount).toBeGreaterThan(ROW_LIMIT);
    expect(
      explained.some(({ plan }) => [...walk(plan)].some((node) => growingTableOf(node) === "comments")),
    ).toBe(true);
  });

  it("serves the site feed from an index in feed order, whatever the size of the forum", async () => {
    const { result, explained } = await expectIndexServed("/feed.xml", () =>
      callLoader(siteFeed.loader, "/feed.xml"),
    );
    expect(result.status).toBe(200);
    expect(tablesReadInIndexOrder(explained)).toContain("posts");
  });

  it("serves a member's notifications from an index in page order, however many they have", async () => {
    const { result, explained } = await expectIndexServed(
      "/notifications",
      pageLoaders(notificationsPage.loader, "/notifications", {}, member.cookie),
    );
    expect(result.page.items).toHaveLength(NOTIFICATIONS_PAGE_SIZE);
    expect(result.page.nextCursor).toEqual(expect.any(String));
    expect(tablesReadInIndexOrder(explained)).toContain("notifications");
  });

  it("serves the moderation log from an index in page order, however long it grows", async () => {
    const { result, explained } = await expectIndexServed(
      "/mod/log",
      pageLoaders(modLog.loader, "/mod/log", {}, moderator.cookie),
    );
    // The loader answers with data(…), whose payload is `data`.
    expect(result.page.data.actions).toHaveLength(50);
    expect(tablesReadInIndexOrder(explained)).toContain("moderation_actions");
  });
});
