// `npm run lighthouse`: audits the home page and a 100-comment thread of a
// production build with Lighthouse's default mobile emulation, saves the
// reports to bench/results/ and fails when a score misses its budget.
// Usage: npm run lighthouse -- [--no-build] [--runs=N]
// What it checks and the latest scores: docs/lighthouse.md.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import * as chromeLauncher from "chrome-launcher";
import lighthouse, { type Result as LighthouseResult, type RunnerResult } from "lighthouse";
import postgres from "postgres";
import { z } from "zod";
import { renderMarkdown } from "~/lib/markdown.server";
import { slugify } from "~/lib/text";

const projectRoot = path.resolve(import.meta.dirname, "..");
const resultsDirectory = path.join(projectRoot, "bench/results");
const DATABASE_NAME = "crosswalk_lighthouse";
const THREAD_COMMENT_COUNT = 100;
const SERVER_START_TIMEOUT_MS = 120_000;
// Scores vary from run to run with the machine's load, so each page is audited several times
// and the median run counts, as Lighthouse's docs advise (docs/lighthouse.md).
const DEFAULT_RUNS = 3;

/** The least score (0–100) each category must reach. */
const BUDGETS = {
  performance: 95,
  accessibility: 100,
  "best-practices": 100,
  seo: 100,
} as const;
type CategoryId = keyof typeof BUDGETS;

const settingsSchema = z.object({
  LIGHTHOUSE_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "LIGHTHOUSE_DATABASE_URL must be a postgres:// or postgresql:// URL")
    .default("postgres://postgres@127.0.0.1:5432/"),
  CHROME_PATH: z.string().min(1).default("/usr/bin/chromium"),
});
const runsSchema = z.coerce
  .number()
  .int()
  .min(1, "--runs must be at least 1")
  .max(9, "--runs must be at most 9");

type AuditedPage = { name: string; path: string };
type Score = {
  page: string;
  category: CategoryId;
  title: string;
  score: number;
  /** The category's score in every run, the median run's included. */
  allRuns: number[];
  passed: boolean;
};

async function main() {
  const { values: options } = parseArgs({
    options: {
      build: { type: "boolean", default: true },
      runs: { type: "string", default: String(DEFAULT_RUNS) },
    },
    allowNegative: true,
  });
  const runs = runsSchema.parse(options.runs);
  // An empty variable means unset, as for the server (app/lib/env.server.ts).
  const settings = settingsSchema.parse(
    Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== "")),
  );

  if (options.build) {
    const build = spawnSync("npm", ["run", "build"], { cwd: projectRoot, stdio: "inherit" });
    if (build.status !== 0) throw new Error("npm run build failed");
  }

  const adminSql = postgres(settings.LIGHTHOUSE_DATABASE_URL, { max: 1, onnotice: () => {} });
  const databaseUrl = new URL(settings.LIGHTHOUSE_DATABASE_URL);
  databaseUrl.pathname = `/${DATABASE_NAME}`;
  // A run stopped with Ctrl+C leaves its database behind: start from a fresh one every time.
  await adminSql`drop database if exists ${adminSql(DATABASE_NAME)} with (force)`;
  await adminSql`create database ${adminSql(DATABASE_NAME)}`;

  let server: ChildProcess | undefined;
  let chrome: chromeLauncher.LaunchedChrome | undefined;
  try {
    const port = await findFreePort();
    // The canonical links name PUBLIC_URL's host; Lighthouse's SEO audit wants the page on that same host.
    const origin = `http://localhost:${port}`;
    server = startServer({ databaseUrl: databaseUrl.href, port, origin });
    await waitForHealthy(origin, server);

    const threadPath = await insertLongThread(databaseUrl.href);
    const pages: AuditedPage[] = [
      { name: "home", path: "/" },
      { name: "thread", path: threadPath },
    ];

    chrome = await chromeLauncher.launch({
      chromePath: settings.CHROME_PATH,
      chromeFlags: ["--headless=new", "--no-sandbox"],
    });
    fs.mkdirSync(resultsDirectory, { recursive: true });
    const date = new Date().toISOString().slice(0, 10);
    const scores: Score[] = [];
    const missedCategories: Array<{ page: string; result: LighthouseResult; category: CategoryId }> = [];
    for (const page of pages) {
      const { median, all } = await auditPage(`${origin}${page.path}`, chrome.port, runs);
      const reportBase = path.join(resultsDirectory, `lighthouse-${date}-${page.name}`);
      const [htmlReport, jsonReport] = median.report as string[];
      fs.writeFileSync(`${reportBase}.html`, htmlReport ?? "");
      fs.writeFileSync(`${reportBase}.json`, jsonReport ?? "");

      for (const category of Object.keys(BUDGETS) as CategoryId[]) {
        const score = scoreOf(page.name, category, median.lhr, all);
        scores.push(score);
        if (!score.passed) missedCategories.push({ page: page.name, result: median.lhr, category });
      }
    }

    printScores(scores, runs);
    for (const { page, result, category } of missedCategories) printFailingAudits(page, result, category);
    process.stdout.write(`\nReports: ${path.relative(projectRoot, resultsDirectory)}/lighthouse-${date}-*\n`);
    if (missedCategories.length > 0) process.exitCode = 1;
  } finally {
    chrome?.kill();
    if (server) await stopServer(server);
    await adminSql`drop database if exists ${adminSql(DATABASE_NAME)} with (force)`;
    await adminSql.end();
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Whatever the server printed, kept to explain a server that fails or stops on its own. */
let serverOutput = "";
let stoppingServer = false;

function startServer({ databaseUrl, port, origin }: { databaseUrl: string; port: number; origin: string }) {
  const server = spawn(process.execPath, ["build/server.js"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      PORT: String(port),
      PUBLIC_URL: origin,
      DEMO: "1",
      LOG_LEVEL: "warn",
      // An empty value means unset: no demo e-mail leaves this machine.
      SMTP_URL: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => (serverOutput += chunk.toString());
  server.stdout?.on("data", keep);
  server.stderr?.on("data", keep);
  server.once("exit", (code, signal) => {
    if (stoppingServer) return;
    // Exit code 0 comes from the server's own graceful shutdown, so something sent it SIGTERM or SIGINT.
    const how = signal ?? (code === 0 ? "it was sent SIGTERM or SIGINT" : `exit code ${code}`);
    console.error(`The server stopped unexpectedly (${how}). Its output:\n${serverOutput}`);
  });
  return server;
}

async function waitForHealthy(origin: string, server: ChildProcess) {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(server)) throw new Error("The server exited during start-up");
    const healthy = await fetch(`${origin}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server was not healthy after ${SERVER_START_TIMEOUT_MS / 1000} s:\n${serverOutput}`);
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function stopServer(server: ChildProcess): Promise<void> {
  stoppingServer = true;
  if (hasExited(server)) return Promise.resolve();
  return new Promise((resolve) => {
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
}

/** A small seeded generator (mulberry32), so every run audits the same thread. */
function seededRandom(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const COMMENT_PARAGRAPHS = [
  "We tried this with our fourth graders last spring and the **library card drive** doubled our sign-ups.",
  "Our public library partner sends a children's librarian to every class visit in October. The teachers plan around it now.",
  "One thing that helped: share the booklist with families a week ahead, so nobody is surprised by the holds.",
  "I would start small. Pick one grade, one month, one shared goal, and write down what happened.",
  "Has anyone found a way to handle overdue fines for students? Our branch waives them for school visits.",
  "- Book the room early\n- Ask the teachers which units are coming\n- Bring card applications in Spanish too",
  "The summer reading kickoff went better when the school librarian introduced us in person first.",
  "We keep a shared spreadsheet of author visits so the two libraries never book the same week.",
  "Thank you for this. I am bringing it to our district meeting on Thursday.",
  "Our principal agreed once we showed the circulation numbers from the year before.",
  "See the [state library's partnership guide](https://example.org/partnership-guide) for templates we adapted.",
  "> Start with the teachers, not the administrators.\n\nThis was true for us as well.",
];

type PlannedComment = { parentIndex: number | null; depth: number; bodyMd: string };

/**
 * A thread shaped like real conversations: about a third of the comments start a new
 * conversation; the others mostly answer the latest comment (a back-and-forth), sometimes
 * an earlier one, so a few chains run deeper than the page's display depth of 5.
 */
function planThread(count: number): PlannedComment[] {
  const random = seededRandom(8);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const plan: PlannedComment[] = [];
  let conversationStart = 0;
  for (let index = 0; index < count; index++) {
    const paragraphs = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(COMMENT_PARAGRAPHS));
    const bodyMd = paragraphs.join("\n\n");
    if (index === 0 || random() < 0.35) {
      conversationStart = index;
      plan.push({ parentIndex: null, depth: 1, bodyMd });
      continue;
    }
    const parentIndex =
      random() < 0.6 ? index - 1 : conversationStart + Math.floor(random() * (index - conversationStart));
    plan.push({ parentIndex, depth: plan[parentIndex]!.depth + 1, bodyMd });
  }
  return plan;
}

/** Publishes one thread with exactly THREAD_COMMENT_COUNT approved comments; returns its path. */
async function insertLongThread(databaseUrl: string): Promise<string> {
  const sql = postgres(databaseUrl, { max: 1 });
  try {
    return await sql.begin(async (sql) => {
      const authors = await sql<{ id: number }[]>`
        select id from users where status = 'active' order by id`;
      if (authors.length === 0) throw new Error("The demo content has no active members to write the thread");
      const authorAt = (index: number) => authors[index % authors.length]!.id;

      const title = "How do your school and public libraries plan class visits together?";
      const bodyMd = [
        "Our district wants every third grader to visit the public library this year.",
        "What has worked for you: who books the visits, what happens during them, and how do you follow up?",
      ].join("\n\n");
      const hour = 60 * 60 * 1000;
      // Comments arrive an hour apart, the last one an hour ago.
      const postedAt = new Date(Date.now() - (THREAD_COMMENT_COUNT + 1) * hour);
      const lastCommentAt = new Date(postedAt.getTime() + THREAD_COMMENT_COUNT * hour);
      const [post] = await sql<{ id: number; slug: string }[]>`
        insert into posts (author_id, kind, title, slug, body_md, body_html, status,
                           comment_count, last_activity_at, created_at, updated_at)
        values (${authorAt(0)}, 'question', ${title}, ${slugify(title)}, ${bodyMd}, ${renderMarkdown(bodyMd)},
                'published', ${THREAD_COMMENT_COUNT}, ${lastCommentAt}, ${postedAt}, ${postedAt})
        returning id, slug`;
      const postId = post!.id;

      const commentIds: number[] = [];
      for (const [index, planned] of planThread(THREAD_COMMENT_COUNT).entries()) {
        const createdAt = new Date(postedAt.getTime() + (index + 1) * hour);
        const parentId = planned.parentIndex === null ? null : commentIds[planned.parentIndex]!;
        const [comment] = await sql<{ id: number }[]>`
          insert into comments (post_id, parent_id, author_id, depth, body_md, body_html, status,
                                created_at, updated_at)
          values (${postId}, ${parentId}, ${authorAt(index + 1)}, ${planned.depth}, ${planned.bodyMd},
                  ${renderMarkdown(planned.bodyMd)}, 'approved', ${createdAt}, ${createdAt})
          returning id`;
        commentIds.push(comment!.id);
      }

      // Members' approved counts include this post and its comments, as if they had written them.
      await sql`
        update users set approved_count = approved_count + written.count
        from (
          select author_id, count(*)::int as count from comments where post_id = ${postId} group by author_id
          union all
          select author_id, 1 from posts where id = ${postId}
        ) as written
        where users.id = written.author_id`;
      return `/posts/${postId}/${post!.slug}`;
    });
  } finally {
    await sql.end();
  }
}

/** Audits a page `runs` times with the default (mobile) settings; the median run by performance counts. */
async function auditPage(url: string, chromePort: number, runs: number) {
  // The first request to a fresh server pays for loading and compiling code, which no visitor of a
  // running forum sees; Lighthouse measures the server's response time, so warm it up first.
  const warmUp = await fetch(url);
  if (!warmUp.ok) throw new Error(`${url} answered ${warmUp.status}; there is nothing to audit`);
  const all: RunnerResult[] = [];
  let brokenRuns = 0;
  while (all.length < runs) {
    const run = all.length + 1;
    const result = await lighthouse(url, { port: chromePort, output: ["html", "json"], logLevel: "error" });
    if (!result) throw new Error(`Lighthouse returned no result for ${url}`);
    const { runtimeError, runWarnings } = result.lhr;
    for (const warning of runWarnings) process.stdout.write(`${url} run ${run}: ${warning}\n`);
    // A run that could not load the page scores 0 everywhere: that is a broken audit, not a score.
    // Chromium's trace sometimes misses the navigation (NO_NAVSTART) on a busy machine: try again, twice at most.
    if (runtimeError) {
      const message = `${url} run ${run}: ${runtimeError.code} ${runtimeError.message}`;
      if (++brokenRuns > 2) throw new Error(message);
      process.stdout.write(`${message}; running it again\n`);
      continue;
    }
    all.push(result);
  }
  const byPerformance = [...all].sort(
    (a, b) => categoryScore(a.lhr, "performance") - categoryScore(b.lhr, "performance"),
  );
  return {
    median: byPerformance[Math.floor((byPerformance.length - 1) / 2)]!,
    all: all.map((run) => run.lhr),
  };
}

/** A category's score out of 100; null (Lighthouse could not compute it) counts as 0, a miss. */
function categoryScore(result: LighthouseResult, category: CategoryId): number {
  return Math.round((result.categories[category]?.score ?? 0) * 100);
}

function scoreOf(
  page: string,
  category: CategoryId,
  median: LighthouseResult,
  all: LighthouseResult[],
): Score {
  const entry = median.categories[category];
  if (!entry) throw new Error(`The Lighthouse result for ${page} has no ${category} category`);
  const score = categoryScore(median, category);
  const allRuns = all.map((result) => categoryScore(result, category));
  return { page, category, title: entry.title, score, allRuns, passed: score >= BUDGETS[category] };
}

function printScores(scores: Score[], runs: number) {
  const rows = [
    ["Page", "Category", "Score", "Budget", "Result", ...(runs > 1 ? [`All ${runs} runs`] : [])],
    ...scores.map((score) => [
      score.page,
      score.title,
      String(score.score),
      `≥ ${BUDGETS[score.category]}`,
      score.passed ? "PASS" : "MISS",
      ...(runs > 1 ? [score.allRuns.join(" ")] : []),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  process.stdout.write("\n");
  for (const row of rows) {
    const line = row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ");
    process.stdout.write(`${line.trimEnd()}\n`);
  }
}

/** The audits that cost a missed category points, with what Lighthouse measured. */
function printFailingAudits(page: string, result: LighthouseResult, category: CategoryId) {
  const entry = result.categories[category];
  if (!entry) return;
  process.stdout.write(`\n${page}, ${entry.title}: audits below full marks\n`);
  for (const reference of entry.auditRefs) {
    const audit = result.audits[reference.id];
    if (!audit || reference.weight === 0 || audit.score === null || audit.score >= 1) continue;
    const measured = audit.displayValue ? ` (${audit.displayValue})` : "";
    process.stdout.write(`  - ${audit.id}: ${audit.title}${measured}\n`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof z.ZodError) console.error(z.prettifyError(error));
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
