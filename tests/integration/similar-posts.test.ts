import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { posts } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { TITLE_MAX } from "~/lib/limits";
import { findSimilarPosts, type SimilarPost } from "~/models/similar-posts.server";
import { action as newPostAction } from "~/routes/posts.new";
import { loader as similarLoader, type SimilarPostsAnswer } from "~/routes/posts.similar";
import { logIn } from "../support/accounts";
import { createComment, createMember, createPost, TEST_PASSWORD } from "../support/factories";
import { callLoader, submitForm } from "../support/requests";

// Every test titles its posts with invented words of its own, so the posts of
// one test never turn up as suggestions in another.

const idsOf = (found: SimilarPost[]) => found.map((post) => post.id);

async function askRoute(title: string) {
  const response = await callLoader(similarLoader, `/posts/similar?${new URLSearchParams({ title })}`);
  return { response, answer: (await response.clone().json()) as SimilarPostsAnswer };
}

describe("findSimilarPosts", () => {
  it("offers posts sharing the most title words first, and none that share one word or only body words", async () => {
    const author = await createMember();
    const twoWords = await createPost(author, { title: "Quillwort seed catalogue for the branch" });
    const threeWords = await createPost(author, { title: "Running a quillwort seed swap" });
    const oneWord = await createPost(author, { title: "A quillwort walk in the park" });
    const bodyOnly = await createPost(author, {
      title: "Spring programme planning",
      body: "We ran a quillwort seed swap for teens last spring.",
    });

    const found = await findSimilarPosts("Ideas for a teen quillwort seed swap?");

    expect(idsOf(found)).toEqual([threeWords.id, twoWords.id]);
    expect(idsOf(found)).not.toContain(oneWord.id);
    expect(idsOf(found)).not.toContain(bodyOnly.id);
  });

  it("matches stemmed words, whatever their case", async () => {
    const author = await createMember();
    const post = await createPost(author, { title: "How our libraries lend marbleweed kits" });
    expect(idsOf(await findSimilarPosts("LIBRARY lending a MARBLEWEED kit"))).toEqual([post.id]);
  });

  it("breaks a tie in the title with the body", async () => {
    const author = await createMember();
    const plain = await createPost(author, {
      title: "Fernbrake club sign-ups",
      body: "Notes from the desk.",
    });
    const detailed = await createPost(author, {
      title: "Fernbrake club sign-ups",
      body: "The fernbrake club filled its sign-ups in a day.",
    });
    expect(idsOf(await findSimilarPosts("fernbrake club"))).toEqual([detailed.id, plain.id]);
  });

  it("offers at most five posts", async () => {
    const author = await createMember();
    for (let index = 0; index < 7; index++)
      await createPost(author, { title: `Zephyrine booklist number ${index}` });
    expect(await findSimilarPosts("zephyrine booklist")).toHaveLength(5);
  });

  it("tells each post's comment count, kind and whether it has an accepted answer", async () => {
    const author = await createMember();
    const answered = await createPost(author, { kind: "question", title: "Where do sandwort displays go?" });
    const reply = await createComment(answered, author, { body: "By the entrance." });
    await createComment(answered, author, { body: "Near the picture books." });
    await getDb().update(posts).set({ acceptedCommentId: reply.id }).where(eq(posts.id, answered.id));
    const open = await createPost(author, { kind: "idea", title: "Sandwort displays for the summer" });

    const found = await findSimilarPosts("sandwort displays");

    expect(found).toEqual(
      expect.arrayContaining([
        {
          id: answered.id,
          kind: "question",
          title: "Where do sandwort displays go?",
          slug: answered.slug,
          commentCount: 2,
          hasAcceptedAnswer: true,
        },
        {
          id: open.id,
          kind: "idea",
          title: "Sandwort displays for the summer",
          slug: open.slug,
          commentCount: 0,
          hasAcceptedAnswer: false,
        },
      ]),
    );
  });

  it("never offers a held, hidden or removed post", async () => {
    const author = await createMember();
    const published = await createPost(author, { title: "Moonwort storytime at the branch" });
    for (const status of ["pending", "hidden", "removed"] as const) {
      await createPost(author, { title: `Moonwort storytime at the branch (${status})`, status });
    }
    expect(idsOf(await findSimilarPosts("Moonwort storytime"))).toEqual([published.id]);
  });

  it("offers nothing for a title with fewer than two words that are not stop words", async () => {
    const author = await createMember();
    await createPost(author, { title: "What should we do about it?" });
    await createPost(author, { title: "Goldenrod goldenrod goldenrod" });
    for (const title of [
      "",
      "   ",
      "goldenrod",
      "Goldenrod?",
      "What should we do about it?",
      "Goldenrod goldenrods",
    ]) {
      expect(await findSimilarPosts(title), title).toEqual([]);
    }
  });

  it("takes tsquery operators and other punctuation as text, never as a syntax error", async () => {
    const author = await createMember();
    const post = await createPost(author, { title: "Bittercress reading circle" });
    const hostile = [
      "a & | ! ( ) : * '",
      "&&&|||!!!((()))",
      "'''\\\\'",
      ":* :A :ABCD <-> <2> !",
      "bittercress' & !(circle | reading):* <-> \\",
      "bittercress:* & circle:A",
      "'bittercress' <-> 'circle'",
      "bittercress\u0000circle\u0000",
      "😀 bittercress 🚀 circle",
      `${"x".repeat(5_000)} bittercress circle`,
      "' OR 1=1; drop table posts; --",
    ];
    for (const title of hostile) {
      await expect(findSimilarPosts(title), title).resolves.toBeInstanceOf(Array);
    }
    expect(idsOf(await findSimilarPosts("bittercress' & !(circle | reading):* <-> \\"))).toEqual([post.id]);
    expect(idsOf(await findSimilarPosts("😀 bittercress 🚀 circle"))).toEqual([post.id]);
  });
});

describe("/posts/similar", () => {
  it("answers JSON a browser may keep for a minute, to visitors too", async () => {
    const author = await createMember();
    const post = await createPost(author, { title: "Starflower reading challenge" });

    const { response, answer } = await askRoute("Our starflower challenge");

    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(response.headers.get("Cache-Control")).toBe("private, max-age=60");
    expect(answer.posts.map((found) => found.id)).toEqual([post.id]);
  });

  it("answers an empty list without a title", async () => {
    const response = await callLoader(similarLoader, "/posts/similar");
    expect(await response.json()).toEqual({ posts: [] });
  });

  it("looks only at as much of the title as a post's title may hold", async () => {
    const author = await createMember();
    const post = await createPost(author, { title: "Lungwort poetry slam" });
    const padding = "x".repeat(TITLE_MAX);

    expect((await askRoute(`lungwort poetry ${padding}`)).answer.posts.map((found) => found.id)).toEqual([
      post.id,
    ]);
    expect((await askRoute(`${padding} lungwort poetry`)).answer.posts).toEqual([]);
    // A very long title is cut, not refused.
    const { response } = await askRoute("lungwort poetry ".repeat(10_000));
    expect(response.status).toBe(200);
  });
});

describe("Preview on /posts/new", () => {
  async function preview(title: string) {
    const member = await createMember();
    const cookie = await logIn(member.email, TEST_PASSWORD);
    return submitForm<{ similarPosts: SimilarPost[]; values: Record<string, string> }>(
      newPostAction,
      "/posts/new",
      { intent: "preview", title, kind: "question", body: "Draft body", tags: "" },
      { cookie },
    );
  }

  it("lists similar posts with the preview, for a composer without JavaScript", async () => {
    const author = await createMember();
    const post = await createPost(author, { title: "Toadflax book club for parents" });
    await createPost(author, { title: "Toadflax book club for parents (held)", status: "pending" });

    const answer = await preview("Starting a toadflax book club");

    expect(answer.status).toBe(200);
    expect(answer.data?.similarPosts.map((found) => found.id)).toEqual([post.id]);
    expect(answer.data?.values.title).toBe("Starting a toadflax book club");
  });

  it("lists nothing when no post is similar", async () => {
    const answer = await preview("Wholly unmatched hawkweed sentence");
    expect(answer.status).toBe(200);
    expect(answer.data?.similarPosts).toEqual([]);
  });
});
