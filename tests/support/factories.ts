import { eq, sql } from "drizzle-orm";
import {
  comments,
  postTags,
  posts,
  tags,
  users,
  type Comment,
  type LibraryType,
  type Post,
  type PostKind,
  type User,
  type UserRole,
} from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { hashPassword } from "~/lib/password.server";
import { slugify } from "~/lib/text";

// Test data goes in the way the app's writes leave it: cooked HTML beside the
// markdown and counters moved in the same transaction.

let sequence = 0;
const next = () => `${process.pid.toString(36)}${(++sequence).toString(36)}`;

export const TEST_PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export async function createMember(
  overrides: Partial<{
    username: string;
    displayName: string;
    email: string;
    libraryType: LibraryType;
    community: string | null;
    bio: string;
    role: UserRole;
  }> = {},
): Promise<User> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const handle = overrides.username ?? `member-${next()}`;
  const [user] = await getDb()
    .insert(users)
    .values({
      username: handle,
      displayName: overrides.displayName ?? `Member ${handle}`,
      email: overrides.email ?? `${handle}@example.org`,
      libraryType: overrides.libraryType ?? "school",
      community: overrides.community ?? null,
      bio: overrides.bio ?? "",
      role: overrides.role ?? "member",
      passwordHash: await passwordHash,
    })
    .returning();
  return user!;
}

export async function createPost(
  author: User,
  overrides: Partial<{
    kind: PostKind;
    title: string;
    body: string;
    status: Post["status"];
    tags: string[];
    createdAt: Date;
  }> = {},
): Promise<Post> {
  const title = overrides.title ?? `A post about working together ${next()}`;
  const body = overrides.body ?? "What worked for our libraries.";
  const createdAt = overrides.createdAt ?? new Date();
  const published = (overrides.status ?? "published") === "published";
  return getDb().transaction(async (tx) => {
    const [post] = await tx
      .insert(posts)
      .values({
        authorId: author.id,
        kind: overrides.kind ?? "discussion",
        title,
        slug: slugify(title),
        bodyMd: body,
        bodyHtml: renderMarkdown(body),
        status: overrides.status ?? "published",
        createdAt,
        updatedAt: createdAt,
        lastActivityAt: createdAt,
      })
      .returning();
    for (const name of overrides.tags ?? []) {
      const [tag] = await tx
        .insert(tags)
        .values({ name, postCount: published ? 1 : 0 })
        .onConflictDoUpdate({
          target: tags.name,
          set: { postCount: sql`${tags.postCount} + ${published ? 1 : 0}` },
        })
        .returning({ id: tags.id });
      await tx.insert(postTags).values({ postId: post!.id, tagId: tag!.id });
    }
    return post!;
  });
}

export async function createComment(
  post: Post,
  author: User,
  overrides: Partial<{ parent: Comment; body: string; status: Comment["status"]; createdAt: Date }> = {},
): Promise<Comment> {
  const body = overrides.body ?? `A reply ${next()}`;
  const status = overrides.status ?? "approved";
  const createdAt = overrides.createdAt ?? new Date();
  return getDb().transaction(async (tx) => {
    const [comment] = await tx
      .insert(comments)
      .values({
        postId: post.id,
        parentId: overrides.parent?.id ?? null,
        depth: overrides.parent ? overrides.parent.depth + 1 : 1,
        authorId: author.id,
        bodyMd: body,
        bodyHtml: renderMarkdown(body),
        status,
        createdAt,
        updatedAt: createdAt,
      })
      .returning();
    if (status === "approved") {
      await tx
        .update(posts)
        .set({
          commentCount: sql`${posts.commentCount} + 1`,
          lastActivityAt: sql`greatest(${posts.lastActivityAt}, ${createdAt.toISOString()}::timestamptz)`,
        })
        .where(eq(posts.id, post.id));
    }
    return comment!;
  });
}
