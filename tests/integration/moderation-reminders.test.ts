import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments, outbox } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { remindModeratorsOfWaitingItems } from "~/models/moderation-reminders.server";
import { createComment, createMember, createPost } from "../support/factories";

describe("reminding moderators of items waiting over a day", () => {
  it("sends nothing while nothing has waited a day, then one e-mail per moderator, at most once a day", async () => {
    const moderator = await createMember({ role: "moderator", email: "mod-reminder@example.org" });
    const admin = await createMember({ role: "admin", email: "admin-reminder@example.org" });
    const member = await createMember({ email: "member-reminder@example.org" });
    const post = await createPost(admin);
    const held = await createComment(post, member, { status: "pending" });

    expect(await remindModeratorsOfWaitingItems()).toBe(0);

    await getDb()
      .update(comments)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(eq(comments.id, held.id));
    expect(await remindModeratorsOfWaitingItems()).toBe(2);
    const sent = await getDb().select().from(outbox);
    expect(sent.map((message) => message.toAddress).sort()).toEqual([admin.email, moderator.email]);
    expect(sent[0]?.subject).toMatch(/1 item has waited over a day/);
    expect(sent[0]?.textBody).toMatch(/http:\/\/localhost:\d+\/mod/);

    expect(await remindModeratorsOfWaitingItems()).toBe(0);
  });
});
