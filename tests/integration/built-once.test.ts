import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "~/db/schema";
import { builtOnce } from "~/lib/built-once.server";
import { getDb } from "~/lib/db.server";
import { createMember } from "../support/factories";

// Hot statements are built into SQL once and run many times (decision 032);
// inside a transaction they must run on the transaction's connection.
describe("a statement built once", () => {
  let builds = 0;
  const displayNameOf = builtOnce((db) => {
    builds++;
    return db
      .select({ displayName: users.displayName })
      .from(users)
      .where(eq(users.id, sql.placeholder("id")))
      .prepare("test_display_name");
  });
  const rename = builtOnce((db) =>
    db
      .update(users)
      .set({ displayName: sql`${sql.placeholder("displayName")}` })
      .where(eq(users.id, sql.placeholder("id")))
      .returning({ displayName: users.displayName })
      .prepare("test_rename"),
  );

  it("is built once and answers with the values of each run", async () => {
    const [first, second] = await Promise.all([createMember(), createMember()]);
    const before = builds;
    const answers = [];
    for (const member of [first, second, first])
      answers.push(await displayNameOf(getDb(), { id: member.id }));
    expect(answers).toEqual([
      [{ displayName: first.displayName }],
      [{ displayName: second.displayName }],
      [{ displayName: first.displayName }],
    ]);
    expect(builds - before).toBeLessThanOrEqual(1);
  });

  it("runs inside the caller's transaction: it sees the transaction's writes, and a rollback undoes its own", async () => {
    const member = await createMember();
    let seenInside: string | undefined;
    const rolledBack = await getDb()
      .transaction(async (tx) => {
        await rename(tx, { id: member.id, displayName: "Renamed inside" });
        seenInside = (await displayNameOf(tx, { id: member.id }))[0]?.displayName;
        tx.rollback();
      })
      .then(
        () => false,
        () => true,
      );
    expect(rolledBack).toBe(true);
    expect(seenInside).toBe("Renamed inside");
    const [after] = await displayNameOf(getDb(), { id: member.id });
    expect(after?.displayName).toBe(member.displayName);

    const committed = await getDb().transaction(async (tx) => {
      await rename(tx, { id: member.id, displayName: "Renamed and kept" });
      return displayNameOf(tx, { id: member.id });
    });
    expect(committed).toEqual([{ displayName: "Renamed and kept" }]);
  });

  it("waits for the transaction's lock like any statement of another connection", async () => {
    const member = await createMember();
    let renamedOutside = false;
    await getDb().transaction(async (tx) => {
      await rename(tx, { id: member.id, displayName: "Held by a transaction" });
      // Outside the transaction, the same statement waits for this one to end.
      const outside = rename(getDb(), { id: member.id, displayName: "After the transaction" }).then(() => {
        renamedOutside = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(renamedOutside).toBe(false);
      void outside;
    });
    await expect.poll(() => renamedOutside).toBe(true);
    const [row] = await displayNameOf(getDb(), { id: member.id });
    expect(row?.displayName).toBe("After the transaction");
  });
});
