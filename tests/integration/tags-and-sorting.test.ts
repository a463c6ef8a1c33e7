import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { posts, tags, type Post } from "~/db/schema";
import { encodeCursor, encodeListCursor } from "~/lib/cursor";
import { getDb } from "~/lib/db.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as tagLoader } from "~/routes/tags.$tag";
import { loader as tagsLoader } from "~/routes/tags._index";
import { createComment, createMember, createPost } from "../support/factories";
import { callLoader, thrownResponse } from "../support/requests";

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const daysAgo = (days: number) => minutesAgo(days * 24 * 60);

let tagSequence = 0;
/** A tag name no other test uses, so each test sees only its own posts. */
const freshTag = () => `t-${process.pid.toString(36)}-${(++tagSequence).toString(36)}`;

async function setHelpful(post: Post, count: number) {
  await getDb().update(posts).set({ helpfulCount: count }).where(eq(posts.id, post.id));
}

type Page = { posts: { id: number }[]; nextCursor: string | null };

function withCursor(path: string, cursor: string) {
  return `${path}${path.includes("?") ? "&" : "?"}cursor=${cursor}`;
}

async function readAllPages(
  path: string,
  load: (path: string) => Promise<Page> = (p) => callLoader(homeLoader, p),
) {
  const seen: number[] = [];
  let page = await load(path);
  seen.push(...page.posts.map((post) => post.id));
  while (page.nextCursor) {
    page = await load(withCursor(path, page.nextCursor));
    seen.push(...page.posts.map((post) => post.id));
  }
  return seen;
}

const idsOf = (page: Page) => page.posts.map((post) => post.id);

describe("tags", () => {
  it("filters / by ?tag= and lists the same posts on /tags/:tag", async () => {
    const author = await createMember();
    const tag = freshTag();
    const tagged = await createPost(author, { tags: [tag, "other-tag"] });
    const alsoTagged = await createPost(author, { kind: "question", tags: [tag] });
    const untagged = await createPost(author, { tags: ["other-tag"] });

    const home = await callLoader(homeLoader, `/?tag=${tag}`);
    expect(home.tag).toBe(tag);
    expect(idsOf(home)).toEqual([alsoTagged.id, tagged.id]);
    expect(idsOf(home)).not.toContain(untagged.id);
    expect(home.pinned).toEqual([]);

    const page = await callLoader(tagLoader, `/tags/${tag}`, { tag });
    expect(page.tagName).toBe(tag);
    expect(idsOf(page)).toEqual([alsoTagged.id, tagged.id]);

    const questions = await callLoader(tagLoader, `/tags/${tag}?kind=question`, { tag });
    expect(idsOf(questions)).toEqual([alsoTagged.id]);
    const homeQuestions = await callLoader(homeLoader, `/?tag=${tag}&kind=question`);
    expect(idsOf(homeQuestions)).toEqual([alsoTagged.id]);
  });

  it("shows a tag's description on its page", async () => {
    const author = await createMember();
    const tag = freshTag();
    await createPost(author, { tags: [tag] });
    await getDb().update(tags).set({ description: "Cards for every pupil." }).where(eq(tags.name, tag));
    const page = await callLoader(tagLoader, `/tags/${tag}`, { tag });
    expect(page.description).toBe("Cards for every pupil.");
  });

  it("lists nothing on / for a well-formed tag nobody uses", async () => {
    const page = await callLoader(homeLoader, "/?tag=no-such-tag-here");
    expect(page.posts).toEqual([]);
    expect(page.nextCursor).toBeNull();
  });

  it("answers 404 for a tag page of an unknown tag, and for junk in the path", async () => {
    for (const tag of ["no-such-tag-here", "Bad Tag", "x", "a".repeat(31), "%00"]) {
      const response = await thrownResponse(
        callLoader(tagLoader, `/tags/${encodeURIComponent(tag)}`, { tag }),
      );
      expect(response.status, tag).toBe(404);
    }
  });

  it.each(["Bad", "x", "a b", "a".repeat(31), "tag%27--", ""])(
    "answers 400 on / for ?tag=%j",
    async (tag) => {
      const response = await thrownResponse(callLoader(homeLoader, `/?tag=${encodeURIComponent(tag)}`));
      expect(response.status).toBe(400);
    },
  );

  it("answers 400 on a tag page for a junk sort, period or cursor", async () => {
    const author = await createMember();
    const tag = freshTag();
    await createPost(author, { tags: [tag] });
    for (const query of ["sort=best", "sort=top&period=decade", "cursor=junk"]) {
      const response = await thrownResponse(callLoader(tagLoader, `/tags/${tag}?${query}`, { tag }));
      expect(response.status, query).toBe(400);
    }
  });

  it("lists tags used by published posts with their counts, most used first, then by name", async () => {
    const author = await createMember();
    const [popular, alpha, beta, unused] = ["zz-popular", "aa-alpha", "ab-beta", "zz-unused"];
    await createPost(author, { tags: [popular, alpha] });
    await createPost(author, { tags: [popular, beta] });
    await createPost(author, { tags: [popular] });
    await createPost(author, { tags: [unused], status: "pending" });

    const { tags: listed } = await callLoader(tagsLoader, "/tags");
    const names = listed.map((tag) => tag.name);
    expect(names).not.toContain(unused);
    expect(listed.find((tag) => tag.name === popular)?.postCount).toBe(3);
    expect(names.indexOf(popular)).toBeLessThan(names.indexOf(alpha));
    expect(names.indexOf(alpha)).toBeLessThan(names.indexOf(beta));
    const counts = listed.map((tag) => tag.postCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });
});

describe("sorting", () => {
  it("orders by activity (default and ?sort=active), by creation (new) and by Helpful marks (top)", async () => {
    const author = await createMember();
    const tag = freshTag();
    const oldest = await createPost(author, { tags: [tag], createdAt: minutesAgo(300) });
    const middle = await createPost(author, { tags: [tag], createdAt: minutesAgo(200) });
    const newest = await createPost(author, { tags: [tag], createdAt: minutesAgo(100) });
    await createComment(oldest, author, { createdAt: minutesAgo(5) });
    await setHelpful(middle, 4);
    await setHelpful(newest, 9);

    const active = [oldest.id, newest.id, middle.id];
    expect(idsOf(await callLoader(homeLoader, `/?tag=${tag}`))).toEqual(active);
    expect(idsOf(await callLoader(homeLoader, `/?tag=${tag}&sort=active`))).toEqual(active);
    expect(idsOf(await callLoader(homeLoader, `/?tag=${tag}&sort=new`))).toEqual([
      newest.id,
      middle.id,
      oldest.id,
    ]);
    expect(idsOf(await callLoader(homeLoader, `/?tag=${tag}&sort=top`))).toEqual([
      newest.id,
      middle.id,
      oldest.id,
    ]);
    expect(idsOf(await callLoader(tagLoader, `/tags/${tag}?sort=new`, { tag }))).toEqual([
      newest.id,
      middle.id,
      oldest.id,
    ]);
  });

  it("breaks ties in Helpful marks by the newest id", async () => {
    const author = await createMember();
    const tag = freshTag();
    const first = await createPost(author, { tags: [tag] });
    const second = await createPost(author, { tags: [tag] });
    const third = await createPost(author, { tags: [tag] });
    await setHelpful(first, 2);
    await setHelpful(second, 2);
    await setHelpful(third, 1);
    expect(idsOf(await callLoader(homeLoader, `/?tag=${tag}&sort=top`))).toEqual([
      second.id,
      first.id,
      third.id,
    ]);
  });

  it("counts only posts created within the period for top (month unless asked)", async () => {
    const author = await createMember();
    const tag = freshTag();
    const thisWeek = await createPost(author, { tags: [tag], createdAt: daysAgo(2) });
    const thisMonth = await createPost(author, { tags: [tag], createdAt: daysAgo(20) });
    const thisYear = await createPost(author, { tags: [tag], createdAt: daysAgo(200) });
    const longAgo = await createPost(author, { tags: [tag], createdAt: daysAgo(800) });
    await setHelpful(thisWeek, 1);
    await setHelpful(thisMonth, 2);
    await setHelpful(thisYear, 3);
    await setHelpful(longAgo, 4);

    const top = (query: string) => callLoader(homeLoader, `/?tag=${tag}&sort=top${query}`).then(idsOf);
    expect(await top("")).toEqual([thisMonth.id, thisWeek.id]);
    expect(await top("&period=month")).toEqual([thisMonth.id, thisWeek.id]);
    expect(await top("&period=week")).toEqual([thisWeek.id]);
    expect(await top("&period=year")).toEqual([thisYear.id, thisMonth.id, thisWeek.id]);
    expect(await top("&period=all")).toEqual([longAgo.id, thisYear.id, thisMonth.id, thisWeek.id]);
    expect((await callLoader(homeLoader, `/?sort=top&period=week`)).period).toBe("week");
  });

  it("lists as unanswered only questions with no accepted answer and no approved reply, newest first", async () => {
    const author = await createMember();
    const helper = await createMember();
    const tag = freshTag();
    const open = await createPost(author, { kind: "question", tags: [tag], createdAt: minutesAgo(50) });
    const newerOpen = await createPost(author, { kind: "question", tags: [tag], createdAt: minutesAgo(40) });
    const heldReplyOnly = await createPost(author, {
      kind: "question",
      tags: [tag],
      createdAt: minutesAgo(45),
    });
    await createComment(heldReplyOnly, helper, { status: "pending" });
    const replied = await createPost(author, { kind: "question", tags: [tag] });
    await createComment(replied, helper);
    const accepted = await createPost(author, { kind: "question", tags: [tag] });
    const answer = await createComment(accepted, helper);
    await getDb()
      .update(posts)
      .set({ acceptedCommentId: answer.id, commentCount: sql`0` })
      .where(eq(posts.id, accepted.id));
    await createPost(author, { kind: "idea", tags: [tag] });
    await createPost(author, { kind: "question", tags: [tag], status: "pending" });

    const page = await callLoader(homeLoader, `/?tag=${tag}&sort=unanswered`);
    expect(idsOf(page)).toEqual([newerOpen.id, heldReplyOnly.id, open.id]);
    expect(page.posts.every((post) => post.kind === "question")).toBe(true);
    expect(idsOf(await callLoader(homeLoader, `/?tag=${tag}&sort=unanswered&kind=idea`))).toEqual([]);
  });

  it.each(["best", "ACTIVE", "", "top;drop"])("answers 400 for ?sort=%j", async (sort) => {
    const response = await thrownResponse(callLoader(homeLoader, `/?sort=${encodeURIComponent(sort)}`));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/no sort called/);
  });

  it("answers 400 for an unknown period", async () => {
    const response = await thrownResponse(callLoader(homeLoader, "/?sort=top&period=decade"));
    expect(response.status).toBe(400);
  });

  it("shows pinned posts only above the default view", async () => {
    const author = await createMember();
    const tag = freshTag();
    const pinned = await createPost(author, { tags: [tag], createdAt: minutesAgo(90_000) });
    await getDb().update(posts).set({ pinned: true }).where(eq(posts.id, pinned.id));

    const home = await callLoader(homeLoader, "/");
    expect(home.pinned.map((post) => post.id)).toContain(pinned.id);
    expect(idsOf(home)).not.toContain(pinned.id);
    for (const path of [`/?tag=${tag}`, "/?sort=new", "/?kind=discussion", "/?sort=top&period=all"]) {
      const page = await callLoader(homeLoader, path);
      expect(page.pinned, path).toEqual([]);
    }
    expect(idsOf(await callLoader(homeLoader, `/?tag=${tag}`))).toEqual([pinned.id]);
  });
});

describe("keyset pagination of every sort", () => {
  it("pages new without repeats or gaps while new posts arrive", async () => {
    const author = await createMember();
    const tag = freshTag();
    const existing: Post[] = [];
    for (let index = 0; index < 45; index++) {
      existing.push(await createPost(author, { tags: [tag], createdAt: minutesAgo(10_000 + index) }));
    }
    // A reply moves activity but not the "new" order.
    await createComment(existing[30]!, author);

    const path = `/?tag=${tag}&sort=new`;
    const first = await callLoader(homeLoader, path);
    expect(first.posts).toHaveLength(20);
    for (let index = 0; index < 5; index++) await createPost(author, { tags: [tag] });

    const seen = idsOf(first);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await callLoader(homeLoader, withCursor(path, cursor));
      expect(page.posts.length).toBeLessThanOrEqual(20);
      seen.push(...idsOf(page));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(existing.map((post) => post.id));
  });

  it("pages top without repeats or gaps while new posts arrive, across ties", async () => {
    const author = await createMember();
    const tag = freshTag();
    const existing: Post[] = [];
    for (let index = 0; index < 45; index++) {
      const post = await createPost(author, { tags: [tag], createdAt: minutesAgo(1_000 + index) });
      await setHelpful(post, index % 4);
      existing.push(post);
    }
    const expected = [...existing]
      .map((post, index) => ({ id: post.id, helpful: index % 4 }))
      .sort((a, b) => b.helpful - a.helpful || b.id - a.id)
      .map((post) => post.id);

    const path = `/?tag=${tag}&sort=top`;
    const first = await callLoader(homeLoader, path);
    expect(first.posts).toHaveLength(20);
    for (let index = 0; index < 5; index++) await createPost(author, { tags: [tag] });

    const seen = idsOf(first);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await callLoader(homeLoader, withCursor(path, cursor));
      seen.push(...idsOf(page));
      cursor = page.nextCursor;
    }
    // New posts have no Helpful marks yet, so they rank among the zeros: they may
    // show on a later page, but no post already listed moves, repeats or goes missing.
    expect(seen.filter((id) => expected.includes(id))).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("pages unanswered and a tag page to the end without repeats", async () => {
    const author = await createMember();
    const tag = freshTag();
    const created: Post[] = [];
    for (let index = 0; index < 25; index++) {
      created.push(
        await createPost(author, { kind: "question", tags: [tag], createdAt: minutesAgo(20_000) }),
      );
    }
    const ids = created.map((post) => post.id).reverse();
    expect(await readAllPages(`/?tag=${tag}&sort=unanswered`)).toEqual(ids);
    expect(
      await readAllPages(`/tags/${tag}`, (path) => callLoader(tagLoader, path, { tag }) as Promise<Page>),
    ).toEqual(ids);
  });

  it("still accepts a cursor in the first format on /", async () => {
    const author = await createMember();
    const tag = freshTag();
    const older = await createPost(author, { tags: [tag], createdAt: minutesAgo(70_000) });
    await createPost(author, { tags: [tag], createdAt: minutesAgo(60_000) });
    // Hand-made as the first release made them: base64url of "timestamp|id".
    // One clock reading for both: two would differ by a millisecond now and then.
    const at = `${minutesAgo(65_000).toISOString().slice(0, 23)}000Z`;
    const oldCursor = Buffer.from(`${at}|2147483647`).toString("base64url");
    expect(oldCursor).toBe(encodeCursor({ at, id: 2147483647 }));
    const page = await callLoader(homeLoader, `/?tag=${tag}&cursor=${oldCursor}`);
    expect(idsOf(page)).toEqual([older.id]);
    const plain = await callLoader(homeLoader, `/?cursor=${oldCursor}`);
    expect(plain.pinned).toEqual([]);
    expect(idsOf(plain)).toContain(older.id);
  });

  it("refuses a cursor of another sort's kind, and junk, with 400", async () => {
    const topCursor = encodeListCursor({ helpful: 3, id: 10 });
    const timeCursor = encodeCursor({ at: "2026-01-01T00:00:00.000000Z", id: 10 });
    for (const path of [
      `/?cursor=${topCursor}`,
      `/?sort=new&cursor=${topCursor}`,
      `/?sort=top&cursor=${timeCursor}`,
      "/?sort=top&cursor=junk",
      `/?sort=top&cursor=${Buffer.from("h|-1|10").toString("base64url")}`,
      `/?sort=new&cursor=${Buffer.from("h|1|10").toString("base64url")}`,
    ]) {
      const response = await thrownResponse(callLoader(homeLoader, path));
      expect(response.status, path).toBe(400);
      expect(await response.text()).toMatch(/page link is not valid/);
    }
  });
});
