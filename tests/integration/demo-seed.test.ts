import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listDemoAccounts, seedDemoContentIfEmpty } from "~/db/seed.server";
import { executeRows } from "~/lib/db.server";

describe("the demo content", () => {
  it("seeds a living forum into an empty database, and never twice", async () => {
    expect(await seedDemoContentIfEmpty()).toBe(true);
    expect(await seedDemoContentIfEmpty()).toBe(false);

    const [counts] = await executeRows<{
      members: number;
      admins: number;
      moderators: number;
      posts: number;
      kinds: number;
      tags: number;
      pending: number;
    }>(sql`
      select
        (select count(*)::int from users) as members,
        (select count(*)::int from users where role = 'admin') as admins,
        (select count(*)::int from users where role = 'moderator') as moderators,
        (select count(*)::int from posts where status = 'published') as posts,
        (select count(distinct kind)::int from posts) as kinds,
        (select count(*)::int from tags) as tags,
        (select count(*)::int from comments where status = 'pending') as pending`);
    expect(counts).toEqual({
      members: 8,
      admins: 1,
      moderators: 1,
      posts: 13,
      kinds: 4,
      tags: 9,
      pending: 1,
    });

    const deepThreads = await executeRows<{ post_id: number }>(
      sql`select post_id from comments group by post_id having max(depth) >= 6`,
    );
    expect(deepThreads.length).toBeGreaterThanOrEqual(2);

    // Counters agree with the rows they count.
    const mismatched = await executeRows(sql`
      select p.id from posts p
      where p.comment_count <> (select count(*) from comments c where c.post_id = p.id and c.status = 'approved')
         or p.last_activity_at < (select coalesce(max(c.created_at), p.created_at) from comments c
                                  where c.post_id = p.id and c.status = 'approved')`);
    expect(mismatched).toEqual([]);

    const accounts = await listDemoAccounts();
    expect(accounts).toHaveLength(8);
    expect(accounts[0]!.role).toBe("admin");
  });
});
