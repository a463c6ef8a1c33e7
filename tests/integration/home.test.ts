import { describe, expect, it } from "vitest";
import type { Post } from "~/db/schema";
import { loader } from "~/routes/_index";
import { createComment, createMember, createPost } from "../support/factories";
import { callLoader, thrownResponse } from "../support/requests";

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function readAllPages(path: string) {
  const seen: number[] = [];
  let page = await callLoader(loader, path);
  seen.push(...page.posts.map((post) => post.id));
  while (page.nextCursor) {
    const separator = path.includes("?") ? "&" : "?";
    page = await callLoader(loader, `${path}${separator}cursor=${page.nextCursor}`);
    seen.push(...page.posts.map((post) => post.id));
  }
  return seen;
}

describe("the latest discussions page", () => {
  it("lists published posts newest activity first, with kind, author, library type, tags, reply count and an excerpt", async () => {
    const author = await createMember({ displayName: "Rosa Delgado", libraryType: "public" });
    const older = await createPost(author, {
      title: "Summer reading with the middle school",
      createdAt: minutesAgo(600),
    });
    const newer = await createPost(author, {
      title: "Class visits that teachers ask for again",
      kind: "story",
      body: "## How\n\nWe **booked** every *second-grade* class.",
      tags: ["class-visits", "library-cards"],
      createdAt: minutesAgo(300),
    });
    // A reply makes the older post the most recently active one.
    await createComment(older, author, { createdAt: minutesAgo(5) });

    const page = await callLoader(loader, "/");
    const ids = page.posts.map((post) => post.id);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));

    const story = page.posts.find((post) => post.id === newer.id);
    expect(story).toMatchObject({
      kind: "story",
      title: "Class visits that teachers ask for again",
      authorDisplayName: "Rosa Delgado",
      authorLibraryType: "public",
      commentCount: 0,
      tags: ["class-visits", "library-cards"],
      excerpt: "How We booked every second-grade class.",
    });
    expect(page.posts.find((post) => post.id === older.id)?.commentCount).toBe(1);
  });

  it("leaves out posts that are held, hidden or removed", async () => {
    const author = await createMember();
    const held = await createPost(author, { status: "pending" });
    const hidden = await createPost(author, { status: "hidden" });
    const removed = await createPost(author, { status: "removed" });
    const ids = await readAllPages("/");
    expect(ids).not.toContain(held.id);
    expect(ids).not.toContain(hidden.id);
    expect(ids).not.toContain(removed.id);
  });

  it("shows 20 posts a page, and Next page neither repeats nor skips a post while new ones arrive", async () => {
    const author = await createMember();
    const existing: Post[] = [];
    for (let index = 0; index < 45; index++) {
      existing.push(await createPost(author, { kind: "idea", createdAt: minutesAgo(10_000 + index) }));
    }

    const first = await callLoader(loader, "/?kind=idea");
    expect(first.posts).toHaveLength(20);
    expect(first.nextCursor).toEqual(expect.any(String));

    // Posts written between two page views go to the top, not into the next page.
    for (let index = 0; index < 5; index++) await createPost(author, { kind: "idea" });

    const seen = first.posts.map((post) => post.id);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await callLoader(loader, `/?kind=idea&cursor=${cursor}`);
      expect(page.posts.length).toBeLessThanOrEqual(20);
      seen.push(...page.posts.map((post) => post.id));
      cursor = page.nextCursor;
    }
    const existingIds = existing.map((post) => post.id);
    expect(seen.filter((id) => existingIds.includes(id))).toEqual(existingIds);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("pages through posts with the same last activity without losing any", async () => {
    const author = await createMember();
    const sameMoment = minutesAgo(50_000);
    const created: Post[] = [];
    for (let index = 0; index < 25; index++) {
      created.push(await createPost(author, { kind: "question", createdAt: sameMoment }));
    }
    const seen = await readAllPages("/?kind=question");
    expect(seen.filter((id) => created.some((post) => post.id === id))).toHaveLength(25);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("filters by kind", async () => {
    const author = await createMember();
    const discussion = await createPost(author, { kind: "discussion" });
    const question = await createPost(author, { kind: "question" });
    const page = await callLoader(loader, "/?kind=discussion");
    expect(page.kind).toBe("discussion");
    expect(page.posts.every((post) => post.kind === "discussion")).toBe(true);
    expect(page.posts.map((post) => post.id)).toContain(discussion.id);
    expect(page.posts.map((post) => post.id)).not.toContain(question.id);
  });

  it("answers 400 with a plain message for an unknown kind", async () => {
    const response = await thrownResponse(callLoader(loader, "/?kind=rumour"));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/no kind of post called "rumour"/);
  });

  it.each(["junk", "", "%00", "MjAyNi0xMS0yOFQxMDowMDowMC4wMDAwMDBafDA"])(
    "answers 400 for a cursor it did not make (%j)",
    async (cursor) => {
      const response = await thrownResponse(callLoader(loader, `/?cursor=${cursor}`));
      expect(response.status).toBe(400);
    },
  );
});
