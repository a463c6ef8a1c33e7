import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seedDemoContentIfEmpty } from "~/db/seed.server";
import { closeDatabase } from "~/lib/db.server";
import { currentSchemaTag, exportForum, ForumImportError, importForum } from "~/models/forum-backup.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { loader as searchLoader } from "~/routes/search";
import { loader as storiesLoader } from "~/routes/stories";
import { loader as booklistsLoader } from "~/routes/booklists";
import { loader as profileLoader } from "~/routes/u.$username";
import { logIn } from "../support/accounts";
import { connectFreshDatabase } from "../support/fresh-database";
import { joinedAccount, publishPost, replyTo } from "../support/member-actions";
import { callLoader, submitForm } from "../support/requests";
import { action as threadAction } from "~/routes/posts.$postId.($slug)";

// The whole forum is exported, imported into a new, empty database and
// exported again: the two files hold the same rows, and the imported forum
// shows the same pages. Runs on whichever driver the suite runs on.

const DEMO_PASSWORD = "reading-together";

let dropImportedDatabase: (() => Promise<void>) | undefined;

/** Replaces the test's database with a new, empty, migrated one (the old one is closed). */
async function switchToEmptyDatabase() {
  await closeDatabase();
  dropImportedDatabase = await connectFreshDatabase(inject("databaseTemplate"));
}

async function exportedLines(rowsPerStatement?: number) {
  const lines: string[] = [];
  await exportForum(
    (line) => {
      lines.push(line);
    },
    { rowsPerStatement },
  );
  return lines;
}

/** What a visitor sees on the pages that read most of the tables. */
async function visitorPages(threadIds: number[]) {
  const pages: Record<string, unknown> = {
    home: await callLoader(homeLoader, "/"),
    search: await callLoader(searchLoader, "/search?q=library"),
    stories: await callLoader(storiesLoader, "/stories"),
    booklists: await callLoader(booklistsLoader, "/booklists"),
    profile: await callLoader(profileLoader, "/u/june-whitaker", { username: "june-whitaker" }),
  };
  for (const id of threadIds) {
    pages[`thread ${id}`] = await callLoader(threadLoader, `/posts/${id}`, { postId: String(id) });
  }
  // Through JSON, as the browser gets them; "now" is the clock when the page
  // was made, and a submission key is new on every page.
  return JSON.parse(
    JSON.stringify(pages, (key, value: unknown) =>
      key === "now" || key === "submissionKey" ? undefined : value,
    ),
  ) as Record<string, unknown>;
}

/** The rows of one table in an export. */
function rowsOf(lines: string[], table: string) {
  const start = lines.findIndex((line) => line.startsWith(`{"table":${JSON.stringify(table)},`));
  const { rows } = JSON.parse(lines[start]!) as { rows: number };
  return lines.slice(start + 1, start + 1 + rows).map((line) => JSON.parse(line) as Record<string, unknown>);
}

const withoutExportTime = (lines: string[]) => [
  { ...(JSON.parse(lines[0]!) as Record<string, unknown>), exportedAt: undefined },
  ...lines.slice(1),
];

describe("exporting and importing the whole forum", () => {
  let original: string[];
  let originalPages: Record<string, unknown>;
  let threadIds: number[];
  let acceptedAnswerThread: number;

  beforeAll(async () => {
    await seedDemoContentIfEmpty();
    // A question with an accepted answer, a nested reply and an edit, on top of the demo.
    const asker = await joinedAccount();
    const answerer = await joinedAccount();
    const question = await publishPost(asker, { title: "Which summer reading log works for both of us?" });
    const answer = await replyTo(answerer, question.id, "We share one paper log with the school library.");
    await replyTo(asker, question.id, "Does the school keep a copy over the summer?", answer);
    const accepted = await submitForm(
      threadAction,
      `/posts/${question.id}`,
      { intent: "accept", commentId: String(answer) },
      { cookie: asker.cookie, params: { postId: String(question.id) } },
    );
    expect(accepted.status).toBeLessThan(400);
    acceptedAnswerThread = question.id;
    threadIds = [1, 2, 3, question.id];
    original = await exportedLines();
    originalPages = await visitorPages(threadIds);
  });

  afterAll(async () => {
    await dropImportedDatabase?.();
  });

  it("writes a header, every table with its count and rows, and an end line, and no session or reset token", () => {
    const header = JSON.parse(original[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({
      format: "crosswalk-forum-export",
      version: 1,
      schema: currentSchemaTag(),
    });
    const headings = original
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => typeof line.table === "string" && typeof line.rows === "number");
    const tables = headings.map((heading) => heading.table);
    expect(tables).toContain("users");
    expect(tables).toContain("comments");
    expect(tables.indexOf("users")).toBeLessThan(tables.indexOf("posts"));
    expect(tables.indexOf("posts")).toBeLessThan(tables.indexOf("comments"));
    expect(tables).not.toContain("sessions");
    expect(tables).not.toContain("password_reset_tokens");
    expect(tables).not.toContain("rate_limit_buckets");
    expect(JSON.parse(original.at(-1)!)).toEqual({ end: true, tables: tables.length });
    const rowLines = headings.reduce((sum, heading) => sum + (heading.rows as number), 0);
    expect(original.length).toBe(1 + headings.length + rowLines + 1);
    // The demo forum fills the tables a reader sees; each of these has rows to carry over.
    for (const table of [
      "users",
      "posts",
      "comments",
      "tags",
      "post_tags",
      "story_details",
      "booklist_items",
    ]) {
      expect(headings.find((heading) => heading.table === table)?.rows, table).toBeGreaterThan(0);
    }
  });

  it("gives the same file when it reads the tables a few rows at a time", async () => {
    // Three rows a statement crosses page boundaries in every table, those keyed by two columns too.
    expect(withoutExportTime(await exportedLines(3))).toEqual(withoutExportTime(original));
  });

  it("refuses a database that already has a forum in it, changing nothing", async () => {
    await expect(importForum(original)).rejects.toThrow(/not empty \(it has rows in .*users/);
    expect(withoutExportTime(await exportedLines())).toEqual(withoutExportTime(original));
  });

  describe("into a new, empty database", () => {
    beforeAll(async () => {
      await switchToEmptyDatabase();
    });

    it("refuses a file cut short, a damaged line or another schema version, and leaves the database empty", async () => {
      await expect(importForum(original.slice(0, -40))).rejects.toThrow(/ends too early/);
      const damaged = original.map((line, index) => (index === 5 ? line.slice(0, 20) : line));
      await expect(importForum(damaged)).rejects.toThrow(/damaged/);
      const otherSchema = [
        JSON.stringify({ ...JSON.parse(original[0]!), schema: "0003_older" }),
        ...original.slice(1),
      ];
      await expect(importForum(otherSchema)).rejects.toThrow(
        /made at database version 0003_older, and this Crosswalk is at/,
      );
      await expect(importForum(['{"members":[]}'])).rejects.toThrow(ForumImportError);
      const emptyExport = await exportedLines();
      expect(
        emptyExport
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .filter((line) => typeof line.rows === "number" && line.rows > 0),
      ).toEqual([]);
    });

    it("imports every row, and exporting again gives the same file", async () => {
      const counts = await importForum(original, { rowsPerStatement: 3 });
      expect(counts.comments).toBeGreaterThan(0);
      expect(withoutExportTime(await exportedLines())).toEqual(withoutExportTime(original));
    });

    it("shows visitors the same pages, search included", async () => {
      const pages = await visitorPages(threadIds);
      expect(pages).toEqual(originalPages);
      const thread = pages[`thread ${acceptedAnswerThread}`] as { acceptedAnswer: { id: number } | null };
      expect(thread.acceptedAnswer?.id).toEqual(expect.any(Number));
      expect((pages.search as { results: unknown[] }).results.length).toBeGreaterThan(0);
    });

    it("lets members log in with their passwords, and new members, posts and replies take the next ids", async () => {
      expect(await logIn("june-whitaker@example.org", DEMO_PASSWORD)).toBeTruthy();
      const highestId = (table: string) =>
        Math.max(...rowsOf(original, table).map((row) => row.id as number));
      const member = await joinedAccount();
      expect(member.user.id).toBe(highestId("users") + 1);
      const post = await publishPost(member, { title: "After the move: does the booklist still open?" });
      expect(post.id).toBe(highestId("posts") + 1);
      expect(await replyTo(member, post.id, "It does, and so does the search.")).toBe(
        highestId("comments") + 1,
      );
    });
  });
});
