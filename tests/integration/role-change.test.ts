import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { moderationActions } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { setRoleByEmail } from "~/models/users.server";
import { createMember } from "../support/factories";

describe("changing a role from the command line", () => {
  it("changes the role found by e-mail in any case, and logs it with no actor", async () => {
    const member = await createMember({ email: "Role.Change@example.org" });
    const changed = await setRoleByEmail("role.change@EXAMPLE.org", "moderator");
    expect(changed).toMatchObject({ id: member.id, role: "moderator" });
    const [log] = await getDb()
      .select()
      .from(moderationActions)
      .where(eq(moderationActions.targetUserId, member.id));
    expect(log).toMatchObject({
      action: "change_role",
      actorId: null,
      details: { from: "member", to: "moderator", via: "cli" },
    });
  });

  it("answers undefined for an unknown address and logs nothing", async () => {
    expect(await setRoleByEmail("nobody-at-all@example.org", "admin")).toBeUndefined();
  });
});
