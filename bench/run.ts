/**
 * npm run bench: seeds a large and a small forum, starts Crosswalk and the
 * raw baseline on the same data, drives both in interleaved rounds and
 * checks every budget of docs/performance.md. Exits 1 on a MISS.
 *
 *   npm run bench                 full scale (100,000 posts, 1,000,000 comments)
 *   npm run bench -- --scale=0.1  a tenth of it, for a quick run
 *   --rounds=N --duration=S       kept rounds per page (after a discarded warm-up) and seconds each
 *   --keep                        keep the databases; a later --keep run with the same scale reuses them
 *   --no-build                    use the existing build/
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { createCookie } from "@remix-run/node";
import postgres from "postgres";
import { CONNECTIONS, drive, summarise, type LoadRequest, type Measurement } from "./load";
import { renderChart } from "./chart";
import {
  MEASURED_THREADS,
  postingThreadId,
  SEARCH_WORD,
  SEED_VERSION,
  seedForum,
  type ForumSize,
} from "./seed";
import { projectRoot, run, startBaseline, startCrosswalk, type RunningServer } from "./servers";

const options = Object.fromEntries(
  process.argv.slice(2).map((argument) => {
    const [key, value] = argument.replace(/^--/, "").split("=");
    return [key, value ?? "true"];
  }),
);
const scale = Number(options.scale ?? 1);
const keptRounds = Number(options.rounds ?? 3);
const durationSeconds = Number(options.duration ?? 5);
if (!(scale > 0 && scale <= 1) || !(keptRounds >= 1) || !(durationSeconds >= 1)) {
  console.error(
    "Usage: npm run bench -- [--scale=0.01..1] [--rounds=3] [--duration=5] [--keep] [--no-build]",
  );
  process.exit(2);
}

const LARGE: ForumSize = {
  members: Math.max(2_000, Math.round(10_000 * scale)),
  posts: Math.max(100, Math.round(100_000 * scale)),
  comments: Math.max(2_000, Math.round(1_000_000 * scale)),
};
const SMALL: ForumSize = { members: 100, posts: 1_000, comments: 10_000 };
const TAG = "teachers";
const POSTING_SESSIONS = 2_000;
const sessionSecret = crypto.randomBytes(32).toString("hex");

const benchUrl = new URL(
  process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/crosswalk_bench",
);
const largeName = benchUrl.pathname.slice(1) || "crosswalk_bench";
const smallName = `${largeName}_small`;
const databaseUrl = (name: string) => {
  const url = new URL(benchUrl);
  url.pathname = `/${name}`;
  return url.toString();
};
const adminUrl = databaseUrl("postgres");

function progress(label: string, done: number, total: number) {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r  ${label.padEnd(28)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}   `,
  );
  if (done === total) process.stderr.write("\n");
}

function say(message: string) {
  process.stdout.write(`${message}\n`);
}

async function prepareDatabase(name: string, size: ForumSize) {
  const marker = `crosswalk-bench seed ${SEED_VERSION} ${JSON.stringify(size)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    if (options.keep) {
      const [existing] = await admin<{ description: string | null }[]>`
        select shobj_description(oid, 'pg_database') as description from pg_database where datname = ${name}
      `;
      if (existing?.description === marker) {
        say(
          `Reusing ${name} (${size.posts.toLocaleString()} posts, ${size.comments.toLocaleString()} comments).`,
        );
        return;
      }
    }
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  await run(process.execPath, ["--import", "tsx", "scripts/forum.ts", "migrate"], {
    DATABASE_URL: databaseUrl(name),
  });
  say(
    `Seeding ${name}: ${size.members.toLocaleString()} members, ${size.posts.toLocaleString()} posts, ${size.comments.toLocaleString()} comments`,
  );
  const sql = postgres(databaseUrl(name), { max: 1, onnotice: () => {} });
  const started = Date.now();
  try {
    await seedForum(sql, size, progress);
  } finally {
    await sql.end();
  }
  const admin2 = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin2.unsafe(`comment on database "${name}" is '${marker.replaceAll("'", "''")}'`);
  await admin2.end();
  say(`  seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function dropDatabases() {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  for (const name of [largeName, smallName])
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end();
}

/** Session cookies for members who post, made as a log-in would make them. */
async function postingSessions(count: number) {
  const sql = postgres(databaseUrl(largeName), { max: 1, onnotice: () => {} });
  const cookie = createCookie("__Host-crosswalk-session", { secrets: [sessionSecret] });
  const tokens = Array.from({ length: count }, () => crypto.randomBytes(32).toString("base64url"));
  await sql`delete from sessions`;
  await sql`
    insert into sessions (id_hash, user_id, expires_at)
    select hash, user_id, now() + interval '30 days'
    from unnest(${tokens.map((token) => crypto.createHash("sha256").update(token).digest("hex"))}::text[])
      with ordinality as t(hash, user_id)
  `;
  await sql.end();
  return Promise.all(tokens.map(async (token) => (await cookie.serialize(token)).split(";")[0]!));
}

type Work = { statements: number; writes: number; markdown: number };

async function requestWork(url: string): Promise<Work> {
  const response = await fetch(url, { redirect: "manual" });
  await response.arrayBuffer();
  const header = response.headers.get("x-request-work");
  if (!header) throw new Error(`${url} answered without X-Request-Work (is REPORT_REQUEST_WORK honoured?)`);
  const figures = Object.fromEntries(header.split(",").map((part) => part.trim().split("=")));
  return {
    statements: Number(figures.statements),
    writes: Number(figures.writes),
    markdown: Number(figures.markdown),
  };
}

async function compressedBytes(url: string) {
  const response = await fetch(url, { headers: { "Accept-Encoding": "identity" } });
  return gzipSync(Buffer.from(await response.arrayBuffer())).length;
}

/** JavaScript and CSS a first visit downloads, gzipped, and the fonts the CSS asks for. */
async function firstLoadAssets(baseUrl: string, cookie?: string) {
  const html = await (await fetch(`${baseUrl}/`, { headers: cookie ? { Cookie: cookie } : {} })).text();
  const assets = new Set(html.match(/\/assets\/[\w.-]+\.(?:js|css)/g) ?? []);
  let javascript = 0;
  let css = 0;
  let fonts = 0;
  for (const asset of assets) {
    const body = Buffer.from(await (await fetch(`${baseUrl}${asset}`)).arrayBuffer());
    if (asset.endsWith(".js")) javascript += gzipSync(body).length;
    else {
      css += gzipSync(body).length;
      fonts += (body.toString().match(/url\([^)]*\.(?:woff2?|ttf|otf)/g) ?? []).length;
    }
  }
  return { javascript, css, fonts, files: assets.size };
}

type Budget = { name: string; measured: string; budget: string; pass: boolean };

async function main() {
  const started = Date.now();
  say(
    `Crosswalk benchmark, scale ${scale}, ${keptRounds} kept rounds of ${durationSeconds} s, ${CONNECTIONS} connections`,
  );
  await prepareDatabase(largeName, LARGE);
  await prepareDatabase(smallName, SMALL);
  if (!options["no-build"]) {
    say("Building Crosswalk (npm run build)");
    await run("npm", ["run", "build"]);
  }
  const cookies = await postingSessions(Math.min(POSTING_SESSIONS, LARGE.members));

  const servers: RunningServer[] = [];
  try {
    // As production serves visitors (their pages kept until the forum changes),
    // and rendering every page, on the large and the small forum.
    const crosswalk = await startCrosswalk("crosswalk", databaseUrl(largeName), 4101, sessionSecret, {
      keepVisitorPages: true,
    });
    servers.push(crosswalk);
    const crosswalkRendering = await startCrosswalk(
      "crosswalk-rendering",
      databaseUrl(largeName),
      4104,
      sessionSecret,
      { keepVisitorPages: false },
    );
    servers.push(crosswalkRendering);
    const crosswalkSmall = await startCrosswalk(
      "crosswalk-small",
      databaseUrl(smallName),
      4102,
      sessionSecret,
      { keepVisitorPages: false },
    );
    servers.push(crosswalkSmall);
    const baseline = await startBaseline("baseline", databaseUrl(largeName), 4103);
    servers.push(baseline);

    const slugOf = async (id: number) => {
      const response = await fetch(`${crosswalk.url}/posts/${id}`, { redirect: "manual" });
      return response.headers.get("location") ?? `/posts/${id}`;
    };
    const thread20 = await slugOf(MEASURED_THREADS.thread20.id);
    const thread100 = await slugOf(MEASURED_THREADS.thread100.id);
    const thread1000 = await slugOf(MEASURED_THREADS.thread1000.id);
    const pages: Record<string, LoadRequest> = {
      "thread-100": { path: thread100 },
      "thread-20": { path: thread20 },
      home: { path: "/" },
      tag: { path: `/tags/${TAG}` },
    };

    // Interleaved A/B rounds: the order alternates and the first round after the start is discarded.
    const rounds: Record<string, Measurement[]> = {};
    let allErrors = 0;
    const record = (key: string, measurement: Measurement, kept: boolean) => {
      allErrors += measurement.errors + measurement.unexpected;
      if (kept) (rounds[key] ??= []).push(measurement);
    };
    const totalSteps = (keptRounds + 1) * (Object.keys(pages).length * 4 + 2);
    let step = 0;
    for (let round = 0; round <= keptRounds; round++) {
      const kept = round > 0;
      for (const [page, request] of Object.entries(pages)) {
        const order = round % 2 ? [baseline, crosswalk] : [crosswalk, baseline];
        for (const server of order) {
          record(`${server.name}/${page}`, await drive(server.url, request, durationSeconds), kept);
          progress("pages, both servers", ++step, totalSteps);
        }
        for (const server of [crosswalkRendering, crosswalkSmall]) {
          record(`${server.name}/${page}`, await drive(server.url, request, durationSeconds), kept);
          progress("pages, both servers", ++step, totalSteps);
        }
      }
      // Search is measured rendering: its many queries are rarely asked twice within a page's lifetime.
      const searchRequest = { path: `/search?q=${SEARCH_WORD}` };
      for (const server of round % 2 ? [baseline, crosswalkRendering] : [crosswalkRendering, baseline]) {
        record(`${server.name}/search`, await drive(server.url, searchRequest, durationSeconds), kept);
        progress("pages, both servers", ++step, totalSteps);
      }
    }

    // Posting last, into threads other than the measured ones, so the pages above stay as seeded.
    let posted = 0;
    const nextPost = (withSession: boolean) => () => {
      posted++;
      const postId = postingThreadId(posted, LARGE.posts);
      const body = `Thank you, we tried this at our library too (${posted}). The teachers loved the booklist.`;
      const fields = new URLSearchParams({ body, submissionKey: crypto.randomUUID() });
      if (!withSession) fields.set("authorId", String(1 + (posted % LARGE.members)));
      return {
        path: `/posts/${postId}`,
        body: fields.toString(),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: withSession ? crosswalk.url : baseline.url,
          ...(withSession ? { cookie: cookies[posted % cookies.length]! } : {}),
        },
      };
    };
    for (let round = 0; round <= keptRounds; round++) {
      const order = round % 2 ? [baseline, crosswalk] : [crosswalk, baseline];
      for (const server of order) {
        const request: LoadRequest = {
          path: "/posts/100",
          method: "POST",
          next: nextPost(server === crosswalk),
        };
        record(`${server.name}/post-comment`, await drive(server.url, request, durationSeconds), round > 0);
      }
      progress("posting a comment", round + 1, keptRounds + 1);
    }

    const figure = (key: string) => summarise(rounds[key] ?? []);
    // What rendering a page costs: asked of the server that keeps no page.
    const work = {
      "thread-20": await requestWork(`${crosswalkRendering.url}${thread20}`),
      "thread-100": await requestWork(`${crosswalkRendering.url}${thread100}`),
      "thread-1000": await requestWork(`${crosswalkRendering.url}${thread1000}`),
    };
    const anonymousPages = [
      "/",
      `/tags/${TAG}`,
      thread20,
      thread100,
      thread1000,
      `/search?q=${SEARCH_WORD}`,
      "/tags",
      "/stories",
      "/booklists",
      "/u/member2",
      "/feed.xml",
      "/sitemap.xml",
    ];
    let writes = 0;
    let markdown = 0;
    for (const page of anonymousPages) {
      const pageWork = await requestWork(`${crosswalkRendering.url}${page}`);
      writes += pageWork.writes;
      markdown += pageWork.markdown;
    }
    const bytesPerComment = async (server: RunningServer) =>
      ((await compressedBytes(`${server.url}${thread100}`)) -
        (await compressedBytes(`${server.url}${thread20}`))) /
      80;
    const crosswalkBytesPerComment = await bytesPerComment(crosswalk);
    const baselineBytesPerComment = await bytesPerComment(baseline);
    // Visitors get plain HTML (no script at all); a member's first page loads the app.
    const visitorAssets = await firstLoadAssets(crosswalk.url);
    const assets = await firstLoadAssets(crosswalk.url, cookies[0]);
    const rss = crosswalk.rss();

    const budgets: Budget[] = [];
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
    for (const page of ["thread-100", "thread-20", "home", "tag"]) {
      const share = ratio(
        figure(`crosswalk/${page}`).requestsPerSecond,
        figure(`baseline/${page}`).requestsPerSecond,
      );
      budgets.push({
        name: `${page}: req/s vs baseline`,
        measured: percent(share),
        budget: "≥ 25 %",
        pass: share >= 0.25,
      });
    }
    for (const page of ["thread-100", "thread-20", "home", "tag"]) {
      const times = ratio(figure(`crosswalk/${page}`).p99, figure(`baseline/${page}`).p99);
      budgets.push({
        name: `${page}: p99 vs baseline p99`,
        measured: `${times.toFixed(2)}×`,
        budget: "≤ 5×",
        pass: times <= 5,
      });
    }
    // Both rendering, so the comparison is of the work a page costs, not of the kept copy.
    for (const page of ["home", "tag", "thread-100"]) {
      const growth = ratio(figure(`crosswalk-rendering/${page}`).p50, figure(`crosswalk-small/${page}`).p50);
      budgets.push({
        name: `${page}: p50 large vs small forum`,
        measured: `${growth.toFixed(2)}×`,
        budget: "≤ 1.5×",
        pass: growth <= 1.5,
      });
    }
    const searchTimes = ratio(figure("crosswalk-rendering/search").p50, figure("baseline/search").p50);
    budgets.push({
      name: `search "${SEARCH_WORD}": p50 vs raw SQL p50`,
      measured: `${searchTimes.toFixed(2)}×`,
      budget: "≤ 3×",
      pass: searchTimes <= 3,
    });
    const postShare = ratio(
      figure("crosswalk/post-comment").requestsPerSecond,
      figure("baseline/post-comment").requestsPerSecond,
    );
    budgets.push({
      name: "posting a comment: req/s vs raw INSERT",
      measured: percent(postShare),
      budget: "≥ 25 %",
      pass: postShare >= 0.25,
    });
    const statementCounts = Object.values(work).map((entry) => entry.statements);
    const constant = statementCounts.every((count) => count === statementCounts[0]);
    budgets.push({
      name: "SQL statements per thread page (20/100/1,000)",
      measured: statementCounts.join(" / "),
      budget: "≤ 3, constant",
      pass: constant && Math.max(...statementCounts) <= 3,
    });
    budgets.push({
      name: "writes on anonymous GETs",
      measured: String(writes),
      budget: "0",
      pass: writes === 0,
    });
    budgets.push({
      name: "markdown/sanitize calls serving pages",
      measured: String(markdown),
      budget: "0",
      pass: markdown === 0,
    });
    const bytesRatio = ratio(crosswalkBytesPerComment, baselineBytesPerComment);
    budgets.push({
      name: "gzipped HTML bytes per comment vs baseline",
      measured: `${crosswalkBytesPerComment.toFixed(0)} / ${baselineBytesPerComment.toFixed(0)} B = ${bytesRatio.toFixed(2)}×`,
      budget: "≤ 1.5×",
      pass: bytesRatio <= 1.5,
    });
    budgets.push({
      name: "first-load JavaScript (gzip), a member's page",
      measured: `${(assets.javascript / 1024).toFixed(1)} KB`,
      budget: "≤ 100 KB",
      pass: assets.javascript <= 100 * 1024,
    });
    budgets.push({
      name: "first-load CSS (gzip), a member's page",
      measured: `${(assets.css / 1024).toFixed(1)} KB`,
      budget: "≤ 30 KB",
      pass: assets.css <= 30 * 1024,
    });
    budgets.push({
      name: "font files",
      measured: String(assets.fonts),
      budget: "≤ 2",
      pass: assets.fonts <= 2,
    });
    budgets.push({
      name: "server RSS after the run",
      measured: `${(rss / 1024 / 1024).toFixed(0)} MB`,
      budget: "≤ 300 MB",
      pass: rss <= 300 * 1024 * 1024,
    });
    budgets.push({
      name: `5xx or errors at ${CONNECTIONS} connections`,
      measured: String(allErrors),
      budget: "0",
      pass: allErrors === 0,
    });

    say("");
    say(
      "| page | Crosswalk req/s | baseline req/s | ratio | Crosswalk p50 / p99 ms | baseline p50 / p99 ms | bytes/response |",
    );
    say("|---|---:|---:|---:|---:|---:|---:|");
    const rows: [string, string][] = [
      ...["thread-100", "thread-20", "home", "tag"].flatMap((page): [string, string][] => [
        [page, `crosswalk/${page}`],
        [`${page}, rendered`, `crosswalk-rendering/${page}`],
      ]),
      ["search, rendered", "crosswalk-rendering/search"],
      ["post-comment", "crosswalk/post-comment"],
    ];
    for (const [label, key] of rows) {
      const mine = figure(key);
      const theirs = figure(`baseline/${key.split("/")[1]}`);
      say(
        `| ${label} | ${mine.requestsPerSecond.toFixed(0)} | ${theirs.requestsPerSecond.toFixed(0)} | ${percent(ratio(mine.requestsPerSecond, theirs.requestsPerSecond))} | ${mine.p50} / ${mine.p99} | ${theirs.p50} / ${theirs.p99} | ${mine.bytesPerResponse.toFixed(0)} / ${theirs.bytesPerResponse.toFixed(0)} |`,
      );
    }
    say("");
    say("| budget | measured | budget | result |");
    say("|---|---:|---:|---|");
    for (const budget of budgets)
      say(`| ${budget.name} | ${budget.measured} | ${budget.budget} | ${budget.pass ? "PASS" : "MISS"} |`);

    const date = new Date().toISOString().slice(0, 10);
    const resultsFolder = path.join(projectRoot, "bench/results");
    fs.mkdirSync(resultsFolder, { recursive: true });
    const summary = Object.fromEntries(Object.keys(rounds).map((key) => [key, figure(key)]));
    const report = {
      date: new Date().toISOString(),
      scale,
      sizes: { large: LARGE, small: SMALL },
      rounds: keptRounds,
      durationSeconds,
      connections: CONNECTIONS,
      summary,
      allRounds: rounds,
      work,
      bytesPerComment: { crosswalk: crosswalkBytesPerComment, baseline: baselineBytesPerComment },
      assets,
      visitorAssets,
      rssBytes: rss,
      budgets,
      elapsedSeconds: Math.round((Date.now() - started) / 1000),
    };
    const suffix = scale === 1 ? "" : `-scale-${scale}`;
    fs.writeFileSync(
      path.join(resultsFolder, `${date}${suffix}.json`),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    fs.writeFileSync(path.join(resultsFolder, `${date}${suffix}.svg`), renderChart(summary));
    say("");
    say(`Wrote bench/results/${date}${suffix}.json and .svg in ${report.elapsedSeconds} s.`);
    const misses = budgets.filter((budget) => !budget.pass);
    if (misses.length > 0) {
      say(`${misses.length} budget(s) MISSED.`);
      process.exitCode = 1;
    } else say("Every budget PASSED.");
  } finally {
    for (const server of servers.reverse()) await server.stop();
    if (!options.keep) await dropDatabases();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
