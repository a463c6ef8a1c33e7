import { eq, sql } from "drizzle-orm";
import { moderationActions, settings } from "~/db/schema";
import { builtOnce } from "~/lib/built-once.server";
import { getDb, type Executor } from "~/lib/db.server";
import { readModerationPolicy, type ModerationPolicy } from "~/lib/moderation-policy";

const MODERATION_POLICY = "moderation_policy";

const moderationPolicyQuery = builtOnce((db) =>
  db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, MODERATION_POLICY))
    .prepare("moderation_policy"),
);

export async function getModerationPolicy(executor: Executor = getDb()): Promise<ModerationPolicy> {
  const [row] = await moderationPolicyQuery(executor, {});
  return readModerationPolicy(row?.value);
}

/** Stores a new policy and logs the change, in one transaction. */
export async function saveModerationPolicy(policy: ModerationPolicy, actorId: number | null) {
  await getDb().transaction(async (tx) => {
    const before = await getModerationPolicy(tx);
    await tx
      .insert(settings)
      .values({ key: MODERATION_POLICY, value: policy, updatedById: actorId })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: policy, updatedById: actorId, updatedAt: sql`now()` },
      });
    await tx.insert(moderationActions).values({
      actorId,
      action: "change_settings",
      reason: "Moderation policy changed",
      details: { before, after: policy },
    });
  });
}
