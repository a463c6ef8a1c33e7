import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outbox, passwordResetTokens, rateLimitBuckets, sessions, users } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { deleteExpiredRows } from "~/models/maintenance.server";
import { joinAs, logIn } from "../support/accounts";

describe("deleting expired rows", () => {
  it("removes ended sessions, passed rate-limit windows and spent reset tokens, and nothing live", async () => {
    const { fields } = await joinAs();
    await logIn(fields.email, fields.password);
    const [user] = await getDb()
      .select({ id: users.id })
      .from(users)
      .where(eq(users.username, fields.username));
    const userId = user!.id;
    const [expired] = await getDb()
      .select({ idHash: sessions.idHash })
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .limit(1);
    await getDb()
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(sessions.idHash, expired!.idHash));
    await getDb()
      .insert(rateLimitBuckets)
      .values([
        { key: "test:passed", hits: 3, windowEndsAt: sql`now() - interval '1 minute'` },
        { key: "test:live", hits: 3, windowEndsAt: sql`now() + interval '10 minutes'` },
      ]);
    await getDb()
      .insert(passwordResetTokens)
      .values([
        { tokenHash: "spent", userId, expiresAt: sql`now() - interval '2 days'` },
        { tokenHash: "fresh", userId, expiresAt: sql`now() + interval '1 hour'` },
      ]);

    expect(await deleteExpiredRows()).toMatchObject({
      sessions: 1,
      rateLimitBuckets: 1,
      passwordResetTokens: 1,
    });
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, userId))).toHaveLength(1);
    expect(
      (await getDb().select({ key: rateLimitBuckets.key }).from(rateLimitBuckets)).map((row) => row.key),
    ).toContain("test:live");
    expect(
      (await getDb().select({ tokenHash: passwordResetTokens.tokenHash }).from(passwordResetTokens)).map(
        (row) => row.tokenHash,
      ),
    ).toEqual(["fresh"]);
  });

  it("deletes mail delivered more than 30 days ago, with the reset links in it, and keeps mail not yet delivered however old", async () => {
    const message = (subject: string, sentDaysAgo: number | null, createdDaysAgo: number) => ({
      toAddress: "reader@example.org",
      subject,
      textBody: "Reset your password: http://localhost/reset-password?token=abc",
      sentAt: sentDaysAgo === null ? null : sql`now() - make_interval(days => ${sentDaysAgo})`,
      createdAt: sql`now() - make_interval(days => ${createdDaysAgo})`,
    });
    await getDb()
      .insert(outbox)
      .values([
        message("delivered long ago", 31, 31),
        message("delivered last week", 7, 7),
        message("never delivered", null, 40),
      ]);

    expect((await deleteExpiredRows()).sentMail).toBe(1);
    const left = (await getDb().select({ subject: outbox.subject }).from(outbox)).map((row) => row.subject);
    expect(left).toEqual(expect.arrayContaining(["delivered last week", "never delivered"]));
    expect(left).not.toContain("delivered long ago");
  });
});
