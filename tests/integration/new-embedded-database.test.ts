import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notifications } from "~/db/schema";
import { closeDatabase, connectDatabase, getDb, migrateDatabase } from "~/lib/db.server";
import { createComment } from "~/models/writing.server";
import { createMember, createPost } from "../support/factories";

// The other tests start from a copy of a migrated database. A new data
// folder (the first `npm start`) starts empty and is migrated after PGlite
// has opened it, so PGlite first meets the schema's own types then.
describe.skipIf(!!process.env.DATABASE_URL)("a new embedded database, migrated after it opened", () => {
  it("takes a reply that notifies the post's author and a watcher", async () => {
    await closeDatabase();
    connectDatabase({ driver: "pglite" });
    await migrateDatabase();
    // A moderator's reply is published at once; a newcomer's waits for approval and notifies nobody yet.
    const [author, watcher, replier] = await Promise.all([
      createMember(),
      createMember(),
      createMember({ role: "moderator" }),
    ]);
    const post = await createPost(author);
    await createComment({ postId: post.id, authorId: watcher.id, bodyMd: "Watching this one." });
    const result = await createComment({
      postId: post.id,
      authorId: replier.id,
      bodyMd: "We tried this with our district too.",
    });
    expect(result.ok).toBe(true);
    const told = await getDb()
      .select({ userId: notifications.userId, kind: notifications.kind })
      .from(notifications)
      .where(eq(notifications.commentId, result.ok ? result.comment.id : 0));
    expect(told).toEqual(
      expect.arrayContaining([
        { userId: author.id, kind: "reply" },
        { userId: watcher.id, kind: "watched_reply" },
      ]),
    );
    expect(told).toHaveLength(2);
  });
});
