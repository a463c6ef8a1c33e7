import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { comments, posts } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { decide } from "~/models/moderation.server";
import { DASHBOARD_DAYS, getModerationStats } from "~/models/moderation-stats.server";
import { createComment, createMember, createPost } from "../support/factories";

describe("the moderators' dashboard figures", () => {
  it("counts what waits, decisions per day, the median wait and unanswered questions", async () => {
    const moderator = await createMember({ role: "moderator" });
    const member = await createMember();
    const thread = await createPost(moderator);
    const old = await createComment(thread, member, { status: "pending" });
    await getDb()
      .update(comments)
      .set({ createdAt: sql`now() - interval '10 hours'` })
      .where(eq(comments.id, old.id));
    await createComment(thread, member, { status: "pending" });

    const before = await getModerationStats();
    expect(before.waiting).toBe(2);
    expect(before.oldestWaitingHours).toBeGreaterThan(9.9);
    expect(before.decisionsPerDay).toHaveLength(DASHBOARD_DAYS);
    expect(before.medianHoursToDecision).toBeNull();

    await decide({ kind: "comment", id: old.id }, "approve", moderator.id);
    const after = await getModerationStats();
    expect(after.waiting).toBe(1);
    expect(after.decisionsPerDay.at(-1)?.count).toBe(1);
    expect(after.medianHoursToDecision).toBeGreaterThan(9.9);

    const question = await createPost(member, { kind: "question", title: "Has anyone tried a card drive?" });
    expect((await getModerationStats()).unansweredQuestions).toEqual([]);
    await getDb()
      .update(posts)
      .set({ createdAt: sql`now() - interval '3 days'` })
      .where(eq(posts.id, question.id));
    const unanswered = (await getModerationStats()).unansweredQuestions;
    expect(unanswered.map((row) => row.id)).toEqual([question.id]);
  });
});
