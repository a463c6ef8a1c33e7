import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { executeRows } from "~/lib/db.server";

describe("the schema", () => {
  it("has an index led by every foreign key's column, so cascades and joins never scan a table", async () => {
    const unindexed = await executeRows<{ constraint_name: string }>(sql`
      select c.conname as constraint_name
      from pg_constraint c
      where c.contype = 'f'
        and c.connamespace = 'public'::regnamespace
        and not exists (
          select 1 from pg_index i
          where i.indrelid = c.conrelid
            and i.indpred is null
            and i.indkey[0] = c.conkey[1]
        )
      order by 1`);
    expect(unindexed).toEqual([]);
  });

  it("reads a thread's comments, the latest list and the moderation queue through indexes", async () => {
    const indexes = await executeRows<{ indexname: string }>(
      sql`select indexname from pg_indexes where schemaname = 'public' order by 1`,
    );
    const names = indexes.map((row) => row.indexname);
    expect(names).toEqual(
      expect.arrayContaining([
        "comments_post_id_created_idx",
        "posts_published_activity_idx",
        "posts_pending_idx",
        "comments_pending_idx",
        "posts_search_vector_idx",
        "comments_search_vector_idx",
      ]),
    );
  });
});
