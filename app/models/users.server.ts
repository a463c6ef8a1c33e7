import { eq } from "drizzle-orm";
import { users } from "~/db/schema";
import { getDb } from "~/lib/db.server";

/** The public face of a member; never the e-mail address. */
export async function getPublicProfile(username: string) {
  const [profile] = await getDb()
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      libraryType: users.libraryType,
      community: users.community,
      bio: users.bio,
      role: users.role,
      status: users.status,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.username, username))
    .limit(1);
  return profile;
}
