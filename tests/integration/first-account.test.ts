import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { joinAs, newMemberFields } from "../support/accounts";

describe("the first account", () => {
  it("becomes the admin, and every later account is a member", async () => {
    const first = await joinAs(newMemberFields());
    const second = await joinAs(newMemberFields());
    const roleOf = async (username: string) =>
      (await getDb().select({ role: users.role }).from(users).where(eq(users.username, username)))[0]?.role;
    expect(await roleOf(first.fields.username)).toBe("admin");
    expect(await roleOf(second.fields.username)).toBe("member");
  });
});
