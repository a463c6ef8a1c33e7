/**
 * The physical limit the benchmark compares Crosswalk against: node:http,
 * postgres.js, one query per page and template strings. It renders what a
 * reader of the same pages sees (the thread with its nested replies, the
 * home list, a tag's list, search results) and stores a comment with one
 * INSERT, and nothing else: no sessions, no escaping beyond what is needed,
 * no framework.
 *
 * Run: tsx bench/baseline-server.ts <database-url> <port>
 */
import http from "node:http";
import postgres from "postgres";

const [databaseUrl, portArgument] = process.argv.slice(2);
if (!databaseUrl || !portArgument) {
  console.error("Usage: tsx bench/baseline-server.ts <database-url> <port>");
  process.exit(2);
}
const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });

function escapeHtml(text: string) {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

function page(title: string, main: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Crosswalk</title></head><body><header><a href="/">Crosswalk</a><form action="/search"><input name="q" aria-label="Search"><button>Search</button></form></header><main>${main}</main></body></html>`;
}

type ListRow = {
  id: number;
  title: string;
  slug: string;
  kind: string;
  comment_count: number;
  last_activity_at: Date;
  display_name: string;
  username: string;
  tags: string[];
};

function postList(heading: string, rows: ListRow[]) {
  const items = rows
    .map(
      (row) =>
        `<li><h2><a href="/posts/${row.id}/${row.slug}">${escapeHtml(row.title)}</a></h2><p>${row.kind} by <a href="/u/${row.username}">${escapeHtml(row.display_name)}</a> · ${row.comment_count} replies · <time datetime="${row.last_activity_at.toISOString()}">${row.last_activity_at.toISOString().slice(0, 10)}</time></p><ul>${row.tags.map((tag) => `<li><a href="/tags/${tag}">${tag}</a></li>`).join("")}</ul></li>`,
    )
    .join("");
  return page(heading, `<h1>${escapeHtml(heading)}</h1><ol>${items}</ol>`);
}

const listColumns = sql`
  p.id, p.title, p.slug, p.kind, p.comment_count, p.last_activity_at, u.display_name, u.username,
  array(select t.name from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = p.id order by t.name) as tags
`;

async function home() {
  const rows = await sql<ListRow[]>`
    select ${listColumns}
    from posts p join users u on u.id = p.author_id
    where p.status = 'published'
    order by p.last_activity_at desc, p.id desc
    limit 20
  `;
  return postList("Latest discussions", rows);
}

async function tagList(tag: string) {
  const rows = await sql<ListRow[]>`
    select ${listColumns}
    from posts p join users u on u.id = p.author_id
    where p.status = 'published'
      and exists (select 1 from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = p.id and t.name = ${tag})
    order by p.last_activity_at desc, p.id desc
    limit 20
  `;
  return postList(`Posts tagged ${tag}`, rows);
}

type ThreadRow = {
  title: string;
  body_html: string;
  created_at: Date;
  display_name: string;
  username: string;
  comment_id: number | null;
  parent_id: number | null;
  comment_html: string | null;
  comment_created_at: Date | null;
  comment_display_name: string | null;
  comment_username: string | null;
  helpful_count: number | null;
};

async function thread(postId: number) {
  const rows = await sql<ThreadRow[]>`
    select p.title, p.body_html, p.created_at, pu.display_name, pu.username,
           c.id as comment_id, c.parent_id, c.body_html as comment_html, c.created_at as comment_created_at,
           cu.display_name as comment_display_name, cu.username as comment_username, c.helpful_count
    from posts p
    join users pu on pu.id = p.author_id
    left join comments c on c.post_id = p.id and c.status = 'approved' and c.deleted_at is null
    left join users cu on cu.id = c.author_id
    where p.id = ${postId} and p.status = 'published'
    order by c.created_at, c.id
  `;
  const post = rows[0];
  if (!post) return null;
  const children = new Map<number | null, ThreadRow[]>();
  for (const row of rows) {
    if (row.comment_id === null) continue;
    const siblings = children.get(row.parent_id) ?? [];
    siblings.push(row);
    children.set(row.parent_id, siblings);
  }
  const renderReplies = (parentId: number | null): string => {
    const replies = children.get(parentId);
    if (!replies) return "";
    return `<ol>${replies
      .map(
        (row) =>
          `<li><article id="comment-${row.comment_id}"><header><a href="/u/${row.comment_username}">${escapeHtml(row.comment_display_name ?? "")}</a> <time datetime="${row.comment_created_at?.toISOString()}">${row.comment_created_at?.toISOString().slice(0, 10)}</time></header>${row.comment_html}<footer>Helpful (${row.helpful_count}) <a href="?replyTo=${row.comment_id}#reply">Reply</a></footer></article>${renderReplies(row.comment_id)}</li>`,
      )
      .join("")}</ol>`;
  };
  return page(
    post.title,
    `<article><h1>${escapeHtml(post.title)}</h1><p>by <a href="/u/${post.username}">${escapeHtml(post.display_name)}</a> <time datetime="${post.created_at.toISOString()}">${post.created_at.toISOString().slice(0, 10)}</time></p>${post.body_html}</article><section><h2>Replies</h2>${renderReplies(null)}</section>`,
  );
}

async function search(query: string) {
  // The same candidate caps as Crosswalk's search (the newest 2,000 posts and 5,000 replies that match).
  const rows = await sql<{ id: number; title: string; slug: string; rank: number }[]>`
    with q as (select websearch_to_tsquery('english', ${query}) as q),
    recent_posts as (
      select p.id, p.search_vector from posts p
      where p.status = 'published' and p.search_vector @@ websearch_to_tsquery('english', ${query})
      order by p.id desc limit 2000
    ),
    recent_comments as (
      select c.post_id, c.search_vector from comments c join posts cp on cp.id = c.post_id and cp.status = 'published'
      where c.status = 'approved' and c.deleted_at is null
        and c.search_vector @@ websearch_to_tsquery('english', ${query}) order by c.id desc limit 5000
    ),
    hits as (
      select rp.id, ts_rank(rp.search_vector, q.q) as rank from recent_posts rp, q
      union all
      select rc.post_id, max(ts_rank(rc.search_vector, q.q)) * 0.8 from recent_comments rc, q group by rc.post_id
    )
    select p.id, p.title, p.slug, max(h.rank) as rank
    from hits h join posts p on p.id = h.id
    group by p.id order by rank desc, p.id desc limit 20
  `;
  const items = rows
    .map((row) => `<li><a href="/posts/${row.id}/${row.slug}">${escapeHtml(row.title)}</a></li>`)
    .join("");
  return page(`Search: ${query}`, `<h1>Results for ${escapeHtml(query)}</h1><ol>${items}</ol>`);
}

async function readForm(request: http.IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

async function insertComment(postId: number, form: URLSearchParams) {
  const body = form.get("body") ?? "";
  const authorId = Number(form.get("authorId") ?? 1);
  const [row] = await sql<{ id: number }[]>`
    insert into comments (post_id, author_id, body_md, body_html)
    values (${postId}, ${authorId}, ${body}, ${`<p>${escapeHtml(body)}</p>`})
    returning id
  `;
  return row!.id;
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://localhost");
  const send = (status: number, html: string) => {
    response.writeHead(status, { "Content-Type": "text/html; charset=utf-8" });
    response.end(html);
  };
  const route = async () => {
    const threadMatch = /^\/posts\/(\d+)/.exec(url.pathname);
    if (request.method === "POST" && threadMatch) {
      const id = await insertComment(Number(threadMatch[1]), await readForm(request));
      response.writeHead(303, { Location: `${url.pathname}#comment-${id}` });
      return response.end();
    }
    if (url.pathname === "/") return send(200, await home());
    if (threadMatch) {
      const html = await thread(Number(threadMatch[1]));
      return html ? send(200, html) : send(404, page("Not found", "<h1>Not found</h1>"));
    }
    const tagMatch = /^\/tags\/([a-z0-9-]+)$/.exec(url.pathname);
    if (tagMatch) return send(200, await tagList(tagMatch[1]!));
    if (url.pathname === "/search") return send(200, await search(url.searchParams.get("q") ?? ""));
    if (url.pathname === "/healthz") return send(200, "ok");
    send(404, page("Not found", "<h1>Not found</h1>"));
  };
  route().catch((error: unknown) => {
    console.error(error);
    if (!response.headersSent) send(500, "error");
    else response.end();
  });
});

server.listen(Number(portArgument), () => {
  process.stdout.write(`baseline listening on ${portArgument}\n`);
});
process.on("SIGTERM", () => {
  server.close();
  void sql.end({ timeout: 2 }).then(() => process.exit(0));
});
