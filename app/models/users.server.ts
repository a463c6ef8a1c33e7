import { eq, or, sql } from "drizzle-orm";
import { moderationActions, users, type LibraryType, type UserRole } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { deleteUserSessions } from "./sessions.server";

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
      deleted: sql<boolean>`${users.deletedAt} is not null`,
    })
    .from(users)
    .where(eq(users.username, username))
    .limit(1);
  return profile;
}

/** What log-in needs to check a password; looked up case-insensitively. */
export async function findCredentialsByEmail(email: string) {
  const [row] = await getDb()
    .select({ id: users.id, passwordHash: users.passwordHash, status: users.status })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1);
  return row;
}

export async function findCredentialsById(userId: number) {
  const [row] = await getDb()
    .select({ id: users.id, passwordHash: users.passwordHash, status: users.status })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

export type NewMember = {
  displayName: string;
  username: string;
  email: string;
  passwordHash: string;
  libraryType: LibraryType;
  community?: string;
};

export type CreateMemberResult =
  { ok: true; user: { id: number; role: UserRole } } | { ok: false; taken: "email" | "username" };

/**
 * Creates an account. The very first account becomes the admin; the check and
 * the insert share a transaction and a lock, so two first sign-ups at once
 * cannot both become admin.
 */
export async function createMember(member: NewMember): Promise<CreateMemberResult> {
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('crosswalk-new-member'))`);
    const [clash] = await tx
      .select({ email: users.email, username: users.username })
      .from(users)
      .where(or(sql`lower(${users.email}) = lower(${member.email})`, eq(users.username, member.username)))
      .limit(1);
    if (clash) return { ok: false, taken: clash.username === member.username ? "username" : "email" };
    const [existing] = await tx.select({ count: sql<number>`count(*)::int` }).from(users);
    const role: UserRole = existing?.count === 0 ? "admin" : "member";
    const [user] = await tx
      .insert(users)
      .values({ ...member, community: member.community || null, role })
      .returning({ id: users.id, role: users.role });
    return { ok: true, user: user! };
  });
}

/** The owner's own view of their account, e-mail included. */
export async function getAccountSettings(userId: number) {
  const [row] = await getDb()
    .select({
      username: users.username,
      email: users.email,
      displayName: users.displayName,
      libraryType: users.libraryType,
      community: users.community,
      region: users.region,
      openToPartnering: users.openToPartnering,
      acceptsIntroductions: users.acceptsIntroductions,
      bio: users.bio,
    })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

export async function updateProfile(
  userId: number,
  profile: {
    displayName: string;
    libraryType: LibraryType;
    community?: string;
    region?: string;
    openToPartnering: boolean;
    acceptsIntroductions: boolean;
    bio?: string;
  },
) {
  await getDb()
    .update(users)
    .set({
      displayName: profile.displayName,
      libraryType: profile.libraryType,
      community: profile.community || null,
      region: profile.region || null,
      openToPartnering: profile.openToPartnering,
      acceptsIntroductions: profile.acceptsIntroductions,
      bio: profile.bio ?? "",
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, userId));
}

/** Sets a new password hash and ends the member's sessions (all, or all but one) in the same transaction. */
export async function changePasswordHash(userId: number, passwordHash: string, keepSessionIdHash?: string) {
  await getDb().transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, userId));
    await deleteUserSessions(userId, { keepIdHash: keepSessionIdHash }, tx);
  });
}

/**
 * Changes a member's role by e-mail (the command-line tool); undefined when
 * there is no such account. Logged like a change made at /mod/users, with no actor.
 */
export async function setRoleByEmail(email: string, role: UserRole) {
  return getDb().transaction(async (tx) => {
    const [before] = await tx
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email})`)
      .for("no key update");
    if (!before) return undefined;
    const [row] = await tx
      .update(users)
      .set({ role, updatedAt: sql`now()` })
      .where(eq(users.id, before.id))
      .returning({ id: users.id, username: users.username, role: users.role });
    await tx.insert(moderationActions).values({
      actorId: null,
      action: "change_role",
      targetUserId: before.id,
      reason: "Changed from the command line",
      details: { from: before.role, to: role, via: "cli" },
    });
    return row;
  });
}
