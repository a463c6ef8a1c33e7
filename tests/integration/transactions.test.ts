import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "~/db/schema";
import { commitWithLastStatements, getDb } from "~/lib/db.server";
import { createMember } from "../support/factories";

// On the PostgreSQL server a transaction sends BEGIN with its first
// statements, and may send COMMIT with its last (decision 033).
describe("a transaction", () => {
  const displayNameOf = async (id: number) =>
    (await getDb().select({ displayName: users.displayName }).from(users).where(eq(users.id, id)))[0]
      ?.displayName;
  const transactionId = sql<string>`txid_current()::text`;

  it("runs its first statements inside it, and a rollback undoes them", async () => {
    const member = await createMember();
    const ids: string[] = [];
    const outcome = await getDb()
      .transaction(async (tx) => {
        const [[first]] = await Promise.all([
          tx.select({ id: transactionId }).from(users).limit(1),
          tx.update(users).set({ displayName: "Renamed inside" }).where(eq(users.id, member.id)),
        ]);
        const [second] = await tx.select({ id: transactionId }).from(users).limit(1);
        ids.push(first!.id, second!.id);
        tx.rollback();
      })
      .then(
        () => "committed",
        () => "rolled back",
      );
    expect(outcome).toBe("rolled back");
    expect(ids[0]).toBe(ids[1]);
    expect(await displayNameOf(member.id)).toBe(member.displayName);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "sent its COMMIT with its last statements, is committed as soon as they answer",
    async () => {
      const member = await createMember();
      let seenByOthersBeforeReturning: string | undefined;
      await getDb().transaction(async (tx) => {
        await tx.select({ id: transactionId }).from(users).limit(1);
        const renaming = tx.update(users).set({ displayName: "Renamed" }).where(eq(users.id, member.id));
        // drizzle's query is lazy: asking for it is what sends it.
        const sent = renaming.execute();
        commitWithLastStatements(tx);
        await sent;
        // Another connection already sees it: the transaction is over.
        seenByOthersBeforeReturning = await displayNameOf(member.id);
      });
      expect(seenByOthersBeforeReturning).toBe("Renamed");
      expect(await displayNameOf(member.id)).toBe("Renamed");
    },
  );

  it("whose last statement fails after its COMMIT was sent keeps nothing, and says so", async () => {
    const member = await createMember();
    const outcome = await getDb()
      .transaction(async (tx) => {
        await tx.update(users).set({ displayName: "Renamed" }).where(eq(users.id, member.id));
        const failing = tx.execute(sql`select 1 / 0`).execute();
        commitWithLastStatements(tx);
        await failing;
      })
      .then(
        () => "committed",
        (error: Error) => error.message,
      );
    expect(outcome).toMatch(/division by zero|select 1 \/ 0/);
    expect(await displayNameOf(member.id)).toBe(member.displayName);
  });

  it("nested in another is a savepoint: its rollback keeps the outer one's work", async () => {
    const member = await createMember();
    await getDb().transaction(async (tx) => {
      await tx.update(users).set({ displayName: "Outer" }).where(eq(users.id, member.id));
      await tx
        .transaction(async (nested) => {
          await nested.update(users).set({ displayName: "Inner" }).where(eq(users.id, member.id));
          nested.rollback();
        })
        .catch(() => {});
    });
    expect(await displayNameOf(member.id)).toBe("Outer");
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "whose connection is lost fails, and the pool goes on with connections that work",
    async () => {
      const outcome = await getDb()
        .transaction(async (tx) => {
          await tx.execute(sql`select pg_terminate_backend(pg_backend_pid())`);
        })
        .then(
          () => "committed",
          () => "failed",
        );
      expect(outcome).toBe("failed");
      // More at once than the pool has connections: every one must find a live one.
      const answers = await Promise.all(
        Array.from({ length: 25 }, () => getDb().execute(sql`select 1 as one`)),
      );
      expect(answers).toHaveLength(25);
    },
  );
});
