import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "~/db/schema";
import { executeRows, getDb } from "~/lib/db.server";
import { createMember } from "../support/factories";

// On a server every statement is prepared (decision 031): once a connection
// has described it, it is one round trip, and statements sent together travel
// together. drizzle-orm on its own sends each unprepared, at two round trips.
describe.skipIf(!process.env.DATABASE_URL)("statements on a PostgreSQL server", () => {
  it("are prepared on their connection", async () => {
    const member = await createMember();
    const preparedHere = await getDb().transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, member.id));
      return executeRows<{ statement: string }>(sql`select statement from pg_prepared_statements`, tx);
    });
    const texts = preparedHere.map((row) => row.statement);
    expect(texts).toContain(`select "id" from "users" where "users"."id" = $1`);
  });

  it("answer each of several statements sent at once in a transaction", async () => {
    const members = await Promise.all([createMember(), createMember(), createMember()]);
    const found = await getDb().transaction((tx) =>
      Promise.all(
        members.map((member) =>
          tx.select({ username: users.username }).from(users).where(eq(users.id, member.id)),
        ),
      ),
    );
    expect(found.map(([row]) => row?.username)).toEqual(members.map((member) => member.username));
  });
});
