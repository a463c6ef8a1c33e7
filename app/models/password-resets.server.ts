import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { passwordResetTokens, users } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { RESET_TOKEN_MINUTES } from "~/lib/validation";
import { deleteUserSessions } from "./sessions.server";

export async function insertPasswordResetToken(userId: number, tokenHash: string) {
  await getDb()
    .insert(passwordResetTokens)
    .values({ userId, tokenHash, expiresAt: sql`now() + make_interval(mins => ${RESET_TOKEN_MINUTES})` });
}

const usable = (tokenHash: string) =>
  and(
    eq(passwordResetTokens.tokenHash, tokenHash),
    isNull(passwordResetTokens.usedAt),
    gt(passwordResetTokens.expiresAt, sql`now()`),
  );

export async function isPasswordResetTokenUsable(tokenHash: string) {
  const [row] = await getDb()
    .select({ userId: passwordResetTokens.userId })
    .from(passwordResetTokens)
    .where(usable(tokenHash))
    .limit(1);
  return Boolean(row);
}

/**
 * Uses a reset token once: sets the password, spends this and every other
 * outstanding token of the member, and ends all their sessions, together.
 * Returns false when the token is unknown, used or expired.
 */
export async function resetPasswordWithToken(tokenHash: string, passwordHash: string): Promise<boolean> {
  return getDb().transaction(async (tx) => {
    const [token] = await tx
      .select({ userId: passwordResetTokens.userId })
      .from(passwordResetTokens)
      .where(usable(tokenHash))
      .for("update");
    if (!token) return false;
    await tx
      .update(passwordResetTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResetTokens.userId, token.userId), isNull(passwordResetTokens.usedAt)));
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: sql`now()` })
      .where(eq(users.id, token.userId));
    await deleteUserSessions(token.userId, {}, tx);
    return true;
  });
}
