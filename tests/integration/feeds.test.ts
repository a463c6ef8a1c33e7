import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { loader as siteFeed } from "~/routes/feed[.]xml";
import { loader as threadFeed } from "~/routes/posts.$postId.feed[.]xml";
import { loader as tagFeed } from "~/routes/tags.$tag_.feed[.]xml";
import { createComment, createMember, createPost } from "../support/factories";
import { callLoader, thrownResponse } from "../support/requests";
import { usePublicUrl } from "../support/public-url";

const PUBLIC_URL = "https://crosswalk.example.org";
usePublicUrl(PUBLIC_URL);

// Requests come in on a Host an attacker chooses: links must not follow it.
const HOSTILE_HOST = "http://evil.example.net";
const get = (loader: Parameters<typeof callLoader>[0], path: string, params: Record<string, string> = {}) =>
  callLoader(loader, new URL(path, HOSTILE_HOST).toString(), params) as Promise<Response>;

type Entry = { id: string; title: string; link: string; content: string; summary: string; raw: string };

/** The few parts of an Atom document the tests look at, read with regular expressions. */
async function readAtom(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
  expect(response.headers.get("Cache-Control")).toBe("public, max-age=300");
  const xml = await response.text();
  expect(xml.startsWith("<?xml")).toBe(true);
  expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
  const cdata = (block: string, tag: string) =>
    block.match(new RegExp(`<${tag} type="html"><!\\[CDATA\\[([\\s\\S]*?)\\]\\]></${tag}>`))?.[1] ?? "";
  const entries: Entry[] = [...xml.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map(([, raw]) => ({
    raw: raw!,
    id: raw!.match(/<id>([^<]*)<\/id>/)?.[1] ?? "",
    title: cdata(raw!, "title"),
    link: raw!.match(/<link href="([^"]*)"/)?.[1] ?? "",
    content: cdata(raw!, "content"),
    summary: cdata(raw!, "summary"),
  }));
  const head = xml.split("<entry>")[0]!;
  return {
    xml,
    head,
    entries,
    titles: entries.map((entry) => entry.title),
    selfLink: head.match(/<link rel="self" href="([^"]*)"/)?.[1],
    alternateLink: head.match(/<link rel="alternate" href="([^"]*)"/)?.[1],
  };
}

let clock = Date.parse("2030-01-01T00:00:00Z");
/** Later than everything made before it, so the order in a feed is known. */
const later = () => new Date((clock += 60_000));

describe("/feed.xml", () => {
  it("lists the newest 20 published posts, newest first, with absolute links from PUBLIC_URL", async () => {
    const author = await createMember({ displayName: "Ana Souza" });
    const oldest = await createPost(author, { title: "The oldest of many", createdAt: later() });
    const made = [];
    for (let index = 1; index <= 20; index++) {
      made.push(await createPost(author, { title: `Story number ${index}`, createdAt: later() }));
    }
    const held = await createPost(author, { title: "Held post", status: "pending", createdAt: later() });
    const hidden = await createPost(author, { title: "Hidden post", status: "hidden", createdAt: later() });
    const removed = await createPost(author, {
      title: "Removed post",
      status: "removed",
      createdAt: later(),
    });

    const feed = await readAtom(await get(siteFeed, "/feed.xml"));
    expect(feed.entries).toHaveLength(20);
    expect(feed.titles).toEqual(made.map((post) => post.title).reverse());
    expect(feed.titles).not.toContain(oldest.title);
    for (const post of [held, hidden, removed]) expect(feed.xml).not.toContain(post.title);

    expect(feed.selfLink).toBe(`${PUBLIC_URL}/feed.xml`);
    expect(feed.alternateLink).toBe(`${PUBLIC_URL}/`);
    expect(feed.head).toContain(`<id>${PUBLIC_URL}/feed.xml</id>`);
    const newest = made.at(-1)!;
    expect(feed.entries[0]).toMatchObject({
      id: `${PUBLIC_URL}/posts/${newest.id}`,
      link: `${PUBLIC_URL}/posts/${newest.id}/${newest.slug}`,
      content: "<p>What worked for our libraries.</p>",
      summary: "What worked for our libraries.",
    });
    expect(feed.entries[0]!.raw).toContain("<name>Ana Souza</name>");
    expect(feed.entries[0]!.raw).toContain(`<published>${newest.createdAt.toISOString()}</published>`);
    expect(feed.xml).not.toContain("evil.example.net");
    expect(feed.xml).not.toContain("localhost");
  });

  it("carries sanitized body HTML inside CDATA and escapes titles, never a raw script", async () => {
    const author = await createMember({ displayName: "Tom & <Jerry>" });
    const post = await createPost(author, {
      title: "Less < more & <b>bold</b>",
      body: 'Hello <script>alert("x")</script> **world** <img src=x onerror="alert(1)"> ]]> end',
      createdAt: later(),
    });
    const feed = await readAtom(await get(siteFeed, "/feed.xml"));
    const entry = feed.entries.find((candidate) => candidate.id.endsWith(`/posts/${post.id}`))!;
    expect(entry.title).toBe("Less &lt; more &amp; &lt;b&gt;bold&lt;/b&gt;");
    expect(entry.content).toContain("<strong>world</strong>");
    expect(feed.xml).not.toMatch(/<script/i);
    expect(feed.xml).not.toMatch(/onerror/i);
    expect(entry.raw).toContain("<name>Tom &amp; &lt;Jerry&gt;</name>");
    // One CDATA section per element: a "]]>" in a body cannot close it early.
    expect(entry.raw.match(/<!\[CDATA\[/g)).toHaveLength(3);
  });
});

describe("/tags/:tag/feed.xml", () => {
  it("lists only the tag's published posts", async () => {
    const author = await createMember();
    const first = await createPost(author, {
      title: "Summer reading kickoff",
      tags: ["summer-reading"],
      createdAt: later(),
    });
    await createPost(author, { title: "Untagged post", createdAt: later() });
    await createPost(author, { title: "Other tag", tags: ["makerspace"], createdAt: later() });
    await createPost(author, {
      title: "Held summer",
      tags: ["summer-reading"],
      status: "pending",
      createdAt: later(),
    });
    await createPost(author, {
      title: "Removed summer",
      tags: ["summer-reading"],
      status: "removed",
      createdAt: later(),
    });
    const second = await createPost(author, {
      title: "Summer reading wrap-up",
      tags: ["summer-reading", "makerspace"],
      createdAt: later(),
    });

    const feed = await readAtom(
      await get(tagFeed, "/tags/summer-reading/feed.xml", { tag: "summer-reading" }),
    );
    expect(feed.titles).toEqual([second.title, first.title]);
    expect(feed.selfLink).toBe(`${PUBLIC_URL}/tags/summer-reading/feed.xml`);
    expect(feed.alternateLink).toBe(`${PUBLIC_URL}/tags/summer-reading`);
    expect(feed.entries[0]!.link).toBe(`${PUBLIC_URL}/posts/${second.id}/${second.slug}`);
  });

  it("answers 404 for an unknown or malformed tag", async () => {
    for (const tag of ["no-such-tag", "Not A Tag", "../feed"]) {
      const response = await thrownResponse(
        get(tagFeed, `/tags/${encodeURIComponent(tag)}/feed.xml`, { tag }),
      );
      expect(response.status).toBe(404);
      expect(response.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    }
  });

  it("answers an empty feed for a tag whose posts are all held", async () => {
    const author = await createMember();
    await createPost(author, {
      title: "Only held",
      tags: ["only-held"],
      status: "pending",
      createdAt: later(),
    });
    const feed = await readAtom(await get(tagFeed, "/tags/only-held/feed.xml", { tag: "only-held" }));
    expect(feed.entries).toHaveLength(0);
    expect(feed.xml).not.toContain("Only held");
  });
});

describe("/posts/:postId/feed.xml", () => {
  it("has the post and its newest approved comments, never held, rejected or deleted ones", async () => {
    const asker = await createMember({ displayName: "Maria Okafor" });
    const helper = await createMember({ displayName: "Dev Patel" });
    const post = await createPost(asker, { title: "How do I reach a school?", createdAt: later() });
    const approved = await createComment(post, helper, {
      body: "Ask the **literacy coach**.",
      createdAt: later(),
    });
    const reply = await createComment(post, asker, {
      parent: approved,
      body: "Thank you!",
      createdAt: later(),
    });
    await createComment(post, helper, { body: "Pending words", status: "pending", createdAt: later() });
    await createComment(post, helper, { body: "Rejected words", status: "rejected", createdAt: later() });
    await createComment(post, helper, { body: "Spam words", status: "spam", createdAt: later() });
    await createComment(post, helper, { body: "Removed words", status: "removed", createdAt: later() });
    const deleted = await createComment(post, helper, { body: "Deleted words", createdAt: later() });
    await getDb().update(comments).set({ deletedAt: new Date() }).where(eq(comments.id, deleted.id));

    const feed = await readAtom(
      await get(threadFeed, `/posts/${post.id}/feed.xml`, { postId: String(post.id) }),
    );
    expect(feed.entries.map((entry) => entry.id)).toEqual([
      `${PUBLIC_URL}/posts/${post.id}#comment-${reply.id}`,
      `${PUBLIC_URL}/posts/${post.id}#comment-${approved.id}`,
      `${PUBLIC_URL}/posts/${post.id}`,
    ]);
    expect(feed.entries[1]).toMatchObject({
      link: `${PUBLIC_URL}/posts/${post.id}/${post.slug}?at=${approved.id}#comment-${approved.id}`,
      content: "<p>Ask the <strong>literacy coach</strong>.</p>",
      summary: "Ask the literacy coach.",
      title: "Dev Patel replied to “How do I reach a school?”",
    });
    for (const words of ["Pending", "Rejected", "Spam", "Removed", "Deleted"]) {
      expect(feed.xml).not.toContain(`${words} words`);
    }
    expect(feed.selfLink).toBe(`${PUBLIC_URL}/posts/${post.id}/feed.xml`);
    expect(feed.alternateLink).toBe(`${PUBLIC_URL}/posts/${post.id}/${post.slug}`);
    expect(feed.head).toContain(`<updated>${reply.createdAt.toISOString()}</updated>`);
  });

  it("keeps the newest 50 comments", async () => {
    const author = await createMember();
    const post = await createPost(author, { createdAt: later() });
    const made = [];
    for (let index = 0; index < 52; index++)
      made.push(await createComment(post, author, { createdAt: later() }));
    const feed = await readAtom(
      await get(threadFeed, `/posts/${post.id}/feed.xml`, { postId: String(post.id) }),
    );
    expect(feed.entries).toHaveLength(51);
    expect(feed.entries[0]!.id).toContain(`#comment-${made.at(-1)!.id}`);
    expect(feed.entries[49]!.id).toContain(`#comment-${made[2]!.id}`);
  });

  it("answers 404 for a post that is not published, does not exist or is not an id", async () => {
    const author = await createMember();
    const ids: string[] = ["999999", "abc", "0"];
    for (const status of ["pending", "hidden", "removed"] as const) {
      const post = await createPost(author, { status, createdAt: later() });
      await createComment(post, author, { createdAt: later() });
      ids.push(String(post.id));
    }
    for (const postId of ids) {
      const response = await thrownResponse(get(threadFeed, `/posts/${postId}/feed.xml`, { postId }));
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("No such post.");
    }
  });
});
