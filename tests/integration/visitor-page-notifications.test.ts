import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeRows, listenToDatabase } from "~/lib/db.server";
import { CONTENT_CHANGED_CHANNEL } from "~/lib/visitor-pages.server";
import { createComment, createMember, createPost } from "../support/factories";

// The kept visitors' pages are forgotten when the database announces a change
// (drizzle/0008_visitor_page_notifications.sql). These tables change on
// members' ordinary visits and no visitor's page shows them, so they say nothing.
const TABLES_NO_VISITOR_SEES = [
  "email_preferences",
  "notifications",
  "outbox",
  "password_reset_tokens",
  "rate_limit_buckets",
  "sessions",
  "subscriptions",
];

let heard = 0;
let listening = false;
let stopListening: (() => Promise<void>) | undefined;

beforeAll(async () => {
  stopListening = await listenToDatabase(CONTENT_CHANGED_CHANNEL, {
    notified: () => heard++,
    listening: (yes) => (listening = yes),
  });
});

afterAll(async () => {
  await stopListening?.();
});

/** Waits until every notification already sent has arrived: nothing more for a quiet 300 ms. */
async function settle() {
  let quietSince = Date.now();
  let last = heard;
  while (Date.now() - quietSince < 300) {
    // The embedded database delivers notifications after a statement; a server, on its own connection.
    await executeRows(sql`select 1`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (heard !== last) {
      last = heard;
      quietSince = Date.now();
    }
  }
}

describe("announcing changes to visitors' pages", () => {
  it("every table is either announced or named as one no visitor's page shows", async () => {
    const tables = await executeRows<{ table_name: string; announced: boolean }>(sql`
      select c.relname as table_name,
        exists (
          select 1 from pg_trigger t
          where t.tgrelid = c.oid and t.tgname = c.relname || '_content_changed' and not t.tgisinternal
        ) as announced
      from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
      order by 1`);
    expect(tables.length).toBeGreaterThan(20);
    const silent = tables.filter((table) => !table.announced).map((table) => table.table_name);
    expect(silent).toEqual(TABLES_NO_VISITOR_SEES);
  });

  it("a new reply is heard by the listening process once, at commit", async () => {
    expect(listening).toBe(true);
    const author = await createMember();
    const post = await createPost(author);
    await settle();
    heard = 0;
    // A transaction of two writes (the reply, the post's counters).
    await createComment(post, author, { body: "Our branch brings the bookmobile to the school fair." });
    await settle();
    expect(heard).toBe(1);
  });

  it("writes to sessions, notifications and the outbox announce nothing; a rolled-back write neither", async () => {
    await settle();
    heard = 0;
    await executeRows(sql`update sessions set last_seen_at = now() where false`);
    await executeRows(sql`update notifications set read_at = now() where false`);
    await executeRows(sql`update outbox set attempts = attempts where false`);
    // A statement that fails is never committed, so it is never heard.
    await executeRows(sql`
      do $$ begin
        update comments set body = body where false;
        raise exception 'rolled back on purpose';
      end $$`).catch(() => undefined);
    await settle();
    expect(heard).toBe(0);
    // The same statement on a table a visitor sees is heard, though it changed no row.
    await executeRows(sql`update tags set name = name where false`);
    await settle();
    expect(heard).toBe(1);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    "on a server, a lost listening connection stops the trust until it listens again",
    async () => {
      const changes: boolean[] = [];
      const stop = await listenToDatabase(CONTENT_CHANGED_CHANNEL, {
        notified: () => undefined,
        listening: (yes) => changes.push(yes),
      });
      try {
        expect(changes).toEqual([true]);
        await executeRows(sql`
          select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`);
        const deadline = Date.now() + 10_000;
        while (changes.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(changes.slice(0, 3)).toEqual([true, false, true]);
        // The first listener was cut off too, and listens again: it still hears.
        while (!listening && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(listening).toBe(true);
        await settle();
        heard = 0;
        await executeRows(sql`update tags set name = name where false`);
        await settle();
        expect(heard).toBe(1);
      } finally {
        await stop();
      }
    },
  );
});
