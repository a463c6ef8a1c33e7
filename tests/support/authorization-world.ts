import { eq } from "drizzle-orm";
import { introductions, users, type Comment, type Post, type User } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { startSession } from "~/lib/session.server";
import { createComment, createMember, createPost } from "./factories";

// The people and things the authorization tests (actions and pages) try
// every route with.

export const roles = ["visitor", "member", "author", "suspended", "moderator", "admin"] as const;
export type Role = (typeof roles)[number];
/**
 * allowed: the action ran or the page showed; login: sent to log in;
 * forbidden: 403; not-found: 404; home: sent to "/" (pages for visitors only).
 */
export type Outcome = "allowed" | "login" | "forbidden" | "not-found" | "home";

/** Members (and the author) get `outcome`; visitors and suspended members are sent to log in; moderators and admins are let in. */
export const signedIn = (outcome: Outcome): Record<Role, Outcome> => ({
  visitor: "login",
  suspended: "login",
  member: outcome,
  author: outcome,
  moderator: "allowed",
  admin: "allowed",
});

export type World = {
  author: User;
  member: User;
  moderator: User;
  admin: User;
  suspended: User;
  post: Post;
  comment: Comment;
  heldComment: Comment;
  question: Post;
  answer: Comment;
  /** A member open to introductions who is none of the people acting. */
  partner: User;
  /** From the member to the author: only the author (its recipient) may block its sender. */
  introductionId: number;
};

export async function cookieFor(user: User) {
  const setCookie = await startSession(new Request("http://localhost/"), user.id, null);
  return setCookie.split(";")[0]!;
}

export async function buildWorld(): Promise<World> {
  const author = await createMember();
  const member = await createMember();
  const moderator = await createMember({ role: "moderator" });
  const admin = await createMember({ role: "admin" });
  const suspended = await createMember();
  const post = await createPost(author);
  const comment = await createComment(post, author);
  const heldComment = await createComment(post, member, { status: "pending" });
  const question = await createPost(author, { kind: "question", title: "A question for the matrix" });
  const answer = await createComment(question, member);
  const partner = await createMember({ libraryType: "public" });
  const [sent] = await getDb()
    .insert(introductions)
    .values({ senderId: member.id, recipientId: author.id, message: "Hello from the matrix." })
    .returning({ id: introductions.id });
  // Log the suspended member in first, then suspend: their cookie must stop working.
  return {
    author,
    member,
    moderator,
    admin,
    suspended,
    post,
    comment,
    heldComment,
    question,
    answer,
    partner,
    introductionId: sent!.id,
  };
}

/** The acting person's cookie in `world`, none for a visitor; a suspended member is suspended after logging in. */
export async function cookieAs(world: World, role: Role): Promise<string | undefined> {
  const actor: Record<Role, User | null> = {
    visitor: null,
    member: world.member,
    author: world.author,
    suspended: world.suspended,
    moderator: world.moderator,
    admin: world.admin,
  };
  const user = actor[role];
  const cookie = user ? await cookieFor(user) : undefined;
  if (role === "suspended") {
    await getDb().update(users).set({ status: "suspended" }).where(eq(users.id, world.suspended.id));
  }
  return cookie;
}
