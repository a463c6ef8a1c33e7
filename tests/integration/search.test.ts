import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { loader } from "~/routes/search";
import { createComment, createMember, createPost } from "../support/factories";
import { callLoader, thrownResponse } from "../support/requests";

// Every test searches for words of its own, so the data of one never shows in another.
const search = (query: string, extra = "") =>
  callLoader(loader, `/search?q=${encodeURIComponent(query)}${extra}`);
const idsOf = (page: Awaited<ReturnType<typeof search>>) => page.results.map((result) => result.id);

describe("search", () => {
  it("shows just the form for an empty query", async () => {
    const page = await callLoader(loader, "/search");
    expect(page.searched).toBe(false);
    expect(page.results).toEqual([]);
    const blank = await search("   ");
    expect(blank.searched).toBe(false);
  });

  it("ranks a title match above a body match", async () => {
    const author = await createMember();
    const inBody = await createPost(author, {
      title: "Planning the autumn programme",
      body: "We tried a quillwort display by the front desk.",
    });
    const inTitle = await createPost(author, {
      title: "Our quillwort display",
      body: "Photos and notes from the week.",
    });
    const page = await search("quillwort");
    expect(idsOf(page)).toEqual([inTitle.id, inBody.id]);
    expect(page.results[0]).toMatchObject({
      title: "Our quillwort display",
      authorUsername: author.username,
      authorLibraryType: "school",
    });
  });

  it("ranks a post's own match above the same match in a reply, and finds threads through replies", async () => {
    const author = await createMember();
    const viaReply = await createPost(author, { title: "Open question", body: "Anything welcome." });
    const matchingReply = await createComment(viaReply, author, { body: "We ran a marbleweed workshop." });
    const viaPost = await createPost(author, {
      title: "Workshops",
      body: "A marbleweed workshop for teens.",
    });
    const page = await search("marbleweed");
    expect(idsOf(page)).toEqual([viaPost.id, viaReply.id]);
    const reply = page.results[1]!;
    expect(reply.excerptSource).toBe("comment");
    // The result links to that reply, on whichever page of the thread it is.
    expect(reply.excerptCommentId).toBe(matchingReply.id);
    expect(page.results[0]!.excerptCommentId).toBeNull();
    expect(reply.excerptHtml).toContain("<mark>marbleweed</mark>");
  });

  it("groups a thread's matches into one result", async () => {
    const author = await createMember();
    const post = await createPost(author, { title: "Fernbrake tips", body: "Fernbrake for everyone." });
    await createComment(post, author, { body: "More fernbrake, please." });
    await createComment(post, author, { body: "Fernbrake again." });
    expect(idsOf(await search("fernbrake"))).toEqual([post.id]);
  });

  it("stems English words: libraries finds library", async () => {
    const author = await createMember();
    const post = await createPost(author, {
      title: "One library and its zephyrine garden",
      body: "The garden grew.",
    });
    expect(idsOf(await search("libraries zephyrine"))).toEqual([post.id]);
    expect(idsOf(await search("gardening zephyrine"))).toEqual([post.id]);
  });

  it("matches an exact phrase in quotes and leaves out -words", async () => {
    const author = await createMember();
    const phrase = await createPost(author, {
      title: "Notes",
      body: "The sandwort reading club meets on Fridays.",
    });
    const scattered = await createPost(author, {
      title: "Other notes",
      body: "The club met; reading sandwort leaflets was optional.",
    });
    expect(idsOf(await search('"sandwort reading club"'))).toEqual([phrase.id]);
    expect(new Set(idsOf(await search("sandwort club")))).toEqual(new Set([phrase.id, scattered.id]));
    expect(idsOf(await search("sandwort -leaflets"))).toEqual([phrase.id]);
  });

  it("highlights matches with <mark> and escapes the text around them", async () => {
    const author = await createMember();
    await createPost(author, {
      title: "Careful markup",
      body: 'Paste <script>alert("x")</script> glasswort & <b>bold</b> by the shelf.',
    });
    const [result] = (await search("glasswort")).results;
    expect(result).toBeDefined();
    const html = result!.excerptHtml;
    expect(html).toContain("<mark>glasswort</mark>");
    expect(html).toContain('&lt;script&gt;alert("x")&lt;/script&gt; <mark>glasswort</mark> &amp; &lt;b&gt;');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>");
    // No tag but <mark> and </mark> survives.
    expect(html.replaceAll("<mark>", "").replaceAll("</mark>", "")).not.toMatch(/[<>]/);
  });

  it("never finds held, hidden or removed posts, nor replies that are not approved or were deleted", async () => {
    const author = await createMember();
    await createPost(author, { title: "Held bladderwrack", status: "pending" });
    await createPost(author, { title: "Hidden bladderwrack", status: "hidden" });
    await createPost(author, { title: "Removed bladderwrack", status: "removed" });
    const host = await createPost(author, { title: "A quiet thread", body: "Nothing here." });
    for (const status of ["pending", "rejected", "spam", "removed"] as const) {
      await createComment(host, author, { body: `A ${status} bladderwrack reply.`, status });
    }
    const deleted = await createComment(host, author, { body: "A deleted bladderwrack reply." });
    await getDb().update(comments).set({ deletedAt: new Date() }).where(eq(comments.id, deleted.id));
    const hiddenHost = await createPost(author, { title: "Hidden host", status: "hidden" });
    await createComment(hiddenHost, author, { body: "An approved bladderwrack reply on a hidden post." });
    expect((await search("bladderwrack")).results).toEqual([]);
    expect((await search("bladderwrack")).searched).toBe(true);
  });

  it("filters by kind, tag and the author's library type", async () => {
    const school = await createMember({ libraryType: "school" });
    const publicLibrarian = await createMember({ libraryType: "public" });
    const question = await createPost(school, {
      kind: "question",
      title: "Pennywort question",
      tags: ["pennywort-tag"],
    });
    const story = await createPost(publicLibrarian, { kind: "story", title: "Pennywort story" });

    expect(idsOf(await search("pennywort", "&kind=question"))).toEqual([question.id]);
    expect(idsOf(await search("pennywort", "&kind=story"))).toEqual([story.id]);
    expect(idsOf(await search("pennywort", "&tag=pennywort-tag"))).toEqual([question.id]);
    expect(idsOf(await search("pennywort", "&library=public"))).toEqual([story.id]);
    expect(idsOf(await search("pennywort", "&library=academic"))).toEqual([]);
    // An empty select means any.
    expect(new Set(idsOf(await search("pennywort", "&kind=&tag=&library=")))).toEqual(
      new Set([question.id, story.id]),
    );
  });

  it("shows 20 threads a page, and Next page neither repeats nor skips one", async () => {
    const author = await createMember();
    const created: number[] = [];
    for (let index = 0; index < 45; index++) {
      // Several share a rank, so the id settles the order within it.
      const post = await createPost(author, {
        title: index % 3 === 0 ? `Moonwort ${index}` : `Notes ${index}`,
        body: index % 2 === 0 ? "Moonwort moonwort." : "About moonwort.",
      });
      created.push(post.id);
    }
    const first = await search("moonwort");
    expect(first.results).toHaveLength(20);
    expect(first.nextCursor).toEqual(expect.any(String));
    const seen = idsOf(first);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await search("moonwort", `&cursor=${cursor}`);
      expect(page.results.length).toBeLessThanOrEqual(20);
      seen.push(...idsOf(page));
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(created);
  });

  it.each(["junk", "", "%00", "MC4xfDA", "TmFOfDE"])(
    "answers 400 for a cursor it did not make (%j)",
    async (cursor) => {
      const response = await thrownResponse(search("anything", `&cursor=${cursor}`));
      expect(response.status).toBe(400);
    },
  );

  it.each(["&kind=rumour", "&library=prison", "&tag=Not%20A%20Tag", "&tag=x"])(
    "answers 400 for a filter it does not know (%s)",
    async (extra) => {
      const response = await thrownResponse(search("anything", extra));
      expect(response.status).toBe(400);
    },
  );

  it("treats stop words and punctuation alone as a search with no results", async () => {
    expect((await search("the")).results).toEqual([]);
    expect((await search("!!! & | ( ")).results).toEqual([]);
  });
});
