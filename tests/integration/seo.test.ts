import type { LoaderFunctionArgs, MetaDescriptor } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { posts } from "~/db/schema";
import { countQueries, getDb } from "~/lib/db.server";
import { loader as rootLoader } from "~/root";
import * as home from "~/routes/_index";
import * as thread from "~/routes/posts.$postId.($slug)";
import { loader as robots } from "~/routes/robots[.]txt";
import * as search from "~/routes/search";
import { loader as sitemap } from "~/routes/sitemap[.]xml";
import * as tag from "~/routes/tags.$tag";
import * as tagIndex from "~/routes/tags._index";
import * as profile from "~/routes/u.$username";
import { createComment, createMember, createPost, TEST_PASSWORD } from "../support/factories";
import { logIn } from "../support/accounts";
import { callLoader } from "../support/requests";
import { usePublicUrl } from "../support/public-url";

const PUBLIC_URL = "https://crosswalk.example.org";
usePublicUrl(PUBLIC_URL);

// Requests come in on a Host an attacker chooses: canonical links must not follow it.
const HOSTILE_HOST = "http://evil.example.net";

type RouteModule = {
  loader: (args: LoaderFunctionArgs) => unknown;
  meta: (args: never) => MetaDescriptor[] | undefined;
};

/**
 * The meta tags of a page, made as Remix makes them: the root's and the
 * route's loaders answer the request, then the route's meta reads both.
 */
async function headOf(
  route: RouteModule,
  routeId: string,
  path: string,
  params: Record<string, string> = {},
  cookie?: string,
) {
  const url = new URL(path, HOSTILE_HOST);
  const [rootData, data] = await Promise.all([
    callLoader(rootLoader, url.toString(), {}, { cookie }),
    callLoader(route.loader, url.toString(), params, { cookie }),
  ]);
  const location = { pathname: url.pathname, search: url.search, hash: "", state: null, key: "default" };
  const matches = [
    { id: "root", pathname: "/", params: {}, data: rootData, meta: [] },
    { id: routeId, pathname: url.pathname, params, data, meta: [] },
  ];
  // Each descriptor is one tag's attributes; reading them as such keeps the lookups short.
  const descriptors = (route.meta({ data, params, location, matches } as never) ?? []) as Array<
    Record<string, unknown>
  >;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  return {
    title: text(descriptors.find((tag) => "title" in tag)?.title),
    content: (key: string) =>
      text(descriptors.find((tag) => tag.name === key || tag.property === key)?.content),
    canonical: text(descriptors.find((tag) => tag.tagName === "link" && tag.rel === "canonical")?.href),
  };
}

const openThread = (postId: number, slug: string, cookie?: string) =>
  headOf(
    thread,
    "routes/posts.$postId.($slug)",
    `/posts/${postId}/${slug}`,
    { postId: String(postId), slug },
    cookie,
  );

describe("a thread's meta tags", () => {
  it("give the canonical URL with the post's slug, whatever slug the visitor used", async () => {
    const author = await createMember();
    const post = await createPost(author, { title: "Weeding the picture book collection" });
    const head = await openThread(post.id, "an-old-title");
    const url = `${PUBLIC_URL}/posts/${post.id}/weeding-the-picture-book-collection`;
    expect(head.canonical).toBe(url);
    expect(head.content("og:url")).toBe(url);
    expect(head.title).toBe("Weeding the picture book collection · Crosswalk");
    expect(head.content("og:title")).toBe("Weeding the picture book collection");
    expect(head.content("og:type")).toBe("article");
    expect(head.content("og:site_name")).toBe("Crosswalk");
    expect(head.content("twitter:card")).toBe("summary");
    expect(head.content("robots")).toBeUndefined();
  });

  it("give each page of a long thread its own canonical URL, the first page none of its own", async () => {
    const author = await createMember();
    const post = await createPost(author, { title: "Twenty-one ways in" });
    let last: Awaited<ReturnType<typeof createComment>> | undefined;
    const start = Date.now() - 60 * 60_000;
    for (let index = 0; index < 21; index++) {
      last = await createComment(post, author, { createdAt: new Date(start + index * 60_000) });
    }
    const url = `${PUBLIC_URL}/posts/${post.id}/${post.slug}`;
    const params = { postId: String(post.id), slug: post.slug };
    const at = (query: string) =>
      headOf(thread, "routes/posts.$postId.($slug)", `/posts/${post.id}/${post.slug}${query}`, params);
    expect((await at("?page=1")).canonical).toBe(url);
    expect((await at("?page=2")).canonical).toBe(`${url}?page=2`);
    expect((await at(`?at=${last!.id}`)).canonical).toBe(`${url}?page=2`);
  });

  it("describe the post with the start of its body as plain text", async () => {
    const author = await createMember();
    const body =
      "**Start** with the _oldest_ titles & work forward.\n\n" +
      "Then ask the children which ones they still borrow. ".repeat(10);
    const post = await createPost(author, { body });
    const head = await openThread(post.id, post.slug);
    const description = head.content("description")!;
    expect(description.startsWith("Start with the oldest titles & work forward. Then ask the children")).toBe(
      true,
    );
    expect(description.length).toBeLessThanOrEqual(160);
    expect(description.endsWith("…")).toBe(true);
    expect(description).not.toMatch(/[<>*_]|&amp;/);
    expect(head.content("og:description")).toBe(description);
  });

  it("keep a held post out of search engines when its author opens it", async () => {
    const author = await createMember();
    const post = await createPost(author, { status: "pending" });
    const cookie = await logIn(author.email, TEST_PASSWORD);
    const head = await openThread(post.id, post.slug, cookie);
    expect(head.content("robots")).toBe("noindex");
    expect(head.canonical).toBeUndefined();
  });
});

describe("list pages' meta tags", () => {
  it("give / a canonical URL with its filters and sort but not its page cursor", async () => {
    const author = await createMember();
    for (let index = 0; index < 21; index++) await createPost(author, { kind: "question" });
    const first = (await callLoader(home.loader, "/?kind=question&sort=new")) as {
      nextCursor: string | null;
    };
    expect(first.nextCursor).not.toBeNull();
    const head = await headOf(
      home,
      "routes/_index",
      `/?kind=question&sort=new&cursor=${encodeURIComponent(first.nextCursor!)}`,
    );
    expect(head.canonical).toBe(`${PUBLIC_URL}/?kind=question&sort=new`);
    expect((await headOf(home, "routes/_index", "/")).canonical).toBe(`${PUBLIC_URL}/`);
  });

  it("give tag pages, the tag index and profiles their own canonical URLs", async () => {
    const author = await createMember({
      username: "ada-reads",
      displayName: "Ada Reads",
      bio: "Story time.",
    });
    await createPost(author, { tags: ["storytime"] });
    const tagHead = await headOf(tag, "routes/tags.$tag", "/tags/storytime?sort=top", { tag: "storytime" });
    expect(tagHead.canonical).toBe(`${PUBLIC_URL}/tags/storytime?sort=top`);
    expect(tagHead.title).toBe("Posts tagged storytime · Crosswalk");
    expect((await headOf(tagIndex, "routes/tags._index", "/tags")).canonical).toBe(`${PUBLIC_URL}/tags`);
    const profileHead = await headOf(profile, "routes/u.$username", "/u/ada-reads", {
      username: "ada-reads",
    });
    expect(profileHead.canonical).toBe(`${PUBLIC_URL}/u/ada-reads`);
    expect(profileHead.content("description")).toBe("Story time.");
  });

  it("keep search results out of search engines", async () => {
    const head = await headOf(search, "routes/search", "/search?q=weeding");
    expect(head.content("robots")).toBe("noindex");
    expect(head.canonical).toBeUndefined();
  });
});

async function readSitemap() {
  const response = (await callLoader(sitemap, `${HOSTILE_HOST}/sitemap.xml`)) as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/xml; charset=utf-8");
  expect(response.headers.get("Cache-Control")).toBe("public, max-age=300");
  const xml = await response.text();
  expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
  const urls = new Map(
    [...xml.matchAll(/<url><loc>([^<]*)<\/loc>(?:<lastmod>([^<]*)<\/lastmod>)?<\/url>/g)].map(
      ([, loc, lastmod]) => [loc!, lastmod],
    ),
  );
  return { xml, urls };
}

describe("/sitemap.xml", () => {
  it("lists published posts at their canonical URLs, and no held, hidden or removed ones", async () => {
    const author = await createMember();
    const published = await createPost(author, { title: "Summer reading bingo", tags: ["summer-reading"] });
    const held = await createPost(author, { title: "Held bingo", status: "pending", tags: ["held-only"] });
    const hidden = await createPost(author, { title: "Hidden bingo", status: "hidden" });
    const removed = await createPost(author, { title: "Removed bingo", status: "removed" });

    const { urls } = await readSitemap();
    expect(urls.has(`${PUBLIC_URL}/`)).toBe(true);
    expect(urls.has(`${PUBLIC_URL}/tags`)).toBe(true);
    expect(urls.has(`${PUBLIC_URL}/tags/summer-reading`)).toBe(true);
    expect(urls.get(`${PUBLIC_URL}/posts/${published.id}/summer-reading-bingo`)).toBe(
      published.lastActivityAt.toISOString(),
    );
    expect(urls.has(`${PUBLIC_URL}/tags/held-only`)).toBe(false);
    for (const post of [held, hidden, removed]) {
      expect([...urls.keys()].some((url) => url.startsWith(`${PUBLIC_URL}/posts/${post.id}/`))).toBe(false);
    }
  });

  it("dates an edited post by its edit", async () => {
    const author = await createMember();
    const post = await createPost(author, { createdAt: new Date("2031-03-01T10:00:00Z") });
    await getDb()
      .update(posts)
      .set({ editedAt: new Date("2031-03-02T09:30:00Z") })
      .where(eq(posts.id, post.id));
    const { urls } = await readSitemap();
    expect(urls.get(`${PUBLIC_URL}/posts/${post.id}/${post.slug}`)).toBe("2031-03-02T09:30:00.000Z");
  });

  it("reads the forum in two queries however many posts there are", async () => {
    const author = await createMember();
    const before = await countQueries(readSitemap);
    for (let index = 0; index < 5; index++) await createPost(author, { tags: [`topic-${index}`] });
    const after = await countQueries(readSitemap);
    expect(before.queries).toBe(2);
    expect(after.queries).toBe(2);
  });
});

describe("/robots.txt", () => {
  it("names the sitemap at the public address and keeps crawlers off private pages", async () => {
    const response = (await callLoader(robots, `${HOSTILE_HOST}/robots.txt`)) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    const text = await response.text();
    expect(text).toContain(`Sitemap: ${PUBLIC_URL}/sitemap.xml`);
    for (const path of ["/mod", "/admin", "/settings", "/search", "/login", "/join", "/posts/*/edit$"]) {
      expect(text).toContain(`Disallow: ${path}\n`);
    }
    expect(text).not.toContain("evil.example.net");
  });
});
