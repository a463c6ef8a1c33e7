import { sql } from "drizzle-orm";
import { executeRows, isDatabaseConnected } from "~/lib/db.server";

/** True when the database answers a trivial query within the deadline. */
export async function pingDatabase(timeoutMs = 2_000): Promise<boolean> {
  if (!isDatabaseConnected()) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const ping = executeRows<{ ok: number }>(sql`select 1 as ok`).then((rows) => rows[0]?.ok === 1);
    return await Promise.race([ping, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
