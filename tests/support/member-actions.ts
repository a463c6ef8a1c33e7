import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { users, type User, type UserRole } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { action as threadAction } from "~/routes/posts.$postId.($slug)";
import { action as newPostAction } from "~/routes/posts.new";
import { joinAs, newMemberFields } from "./accounts";
import { submitForm } from "./requests";

// A member's everyday writes through the same forms a browser sends, for
// tests about what those writes cause (notifications, mail).

export type Account = { cookie: string; user: User };

/** A member who joined through /join, with the role given (and, for a member, already trusted). */
export async function joinedAccount(role: UserRole = "member", username?: string): Promise<Account> {
  const joined = await joinAs(newMemberFields(username ? { username } : {}));
  const [user] = await getDb()
    .update(users)
    .set({ role, approvedCount: role === "member" ? 5 : 0 })
    .where(eq(users.username, joined.fields.username))
    .returning();
  return { cookie: joined.cookie, user: user! };
}

let keySequence = 0;
const submissionKey = () => `member-actions-${process.pid}-${++keySequence}-abcdefgh`;

/** Publishes a post through /posts/new; answers its id, slug and path. */
export async function publishPost(
  author: Account,
  fields: Partial<Record<"title" | "kind" | "body" | "tags", string>> = {},
) {
  const answer = await submitForm(
    newPostAction,
    "/posts/new",
    {
      intent: "publish",
      title: "How do we reach a school that never answers?",
      kind: "question",
      body: "We have written three times.",
      tags: "outreach",
      submissionKey: submissionKey(),
      ...fields,
    },
    { cookie: author.cookie },
  );
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  const [, id, slug] = /^\/posts\/(\d+)\/([a-z0-9-]+)$/.exec(answer.location ?? "") ?? [];
  return { id: Number(id), slug: slug!, path: answer.location! };
}

/** Replies through the thread's form (to the post, or to a comment); answers the new comment's id. */
export async function replyTo(from: Account, postId: number, body: string, parentId?: number) {
  const answer = await submitForm(
    threadAction,
    `/posts/${postId}`,
    { body, submissionKey: submissionKey(), ...(parentId ? { parentId: String(parentId) } : {}) },
    { cookie: from.cookie, params: { postId: String(postId) } },
  );
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  return Number(/#comment-(\d+)$/.exec(answer.location ?? "")?.[1]);
}
