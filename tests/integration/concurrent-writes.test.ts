import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments, posts } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { action as threadAction } from "~/routes/posts.$postId.($slug)";
import { joinedAccount, publishPost, type Account } from "../support/member-actions";
import { submitForm } from "../support/requests";

let sequence = 0;

function reply(from: Account, postId: number) {
  return submitForm(
    threadAction,
    `/posts/${postId}`,
    {
      body: `A reply sent at the same moment as others (${++sequence}).`,
      submissionKey: `concurrent-${process.pid}-${sequence}-abcdefgh`,
    },
    { cookie: from.cookie, params: { postId: String(postId) } },
  );
}

// On the PostgreSQL server each request has its own connection, so these
// really run at once; the embedded database runs them one after another.
describe("replies written at the same moment", () => {
  it("two members replying on each other's threads at once all succeed, with the counts exact", async () => {
    // Moderators: no rate limit, so every reply is written.
    const ana = await joinedAccount("moderator");
    const ben = await joinedAccount("moderator");
    const anasPost = await publishPost(ana, { title: "Story time in the park this summer" });
    const bensPost = await publishPost(ben, { title: "Class visits to the public library" });

    const answers = await Promise.all(
      Array.from({ length: 12 }, () => [reply(ana, bensPost.id), reply(ben, anasPost.id)]).flat(),
    );
    expect(
      answers.map((answer) => answer.status),
      JSON.stringify(answers.find((answer) => answer.status !== 302)?.text ?? ""),
    ).toEqual(answers.map(() => 302));

    for (const postId of [anasPost.id, bensPost.id]) {
      const [post] = await getDb().select().from(posts).where(eq(posts.id, postId));
      const stored = await getDb().select().from(comments).where(eq(comments.postId, postId));
      expect(post!.commentCount).toBe(12);
      expect(stored).toHaveLength(12);
    }
  });
});
