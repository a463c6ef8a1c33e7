/**
 * npm run test:faults: the server under faults, against a PostgreSQL server
 * (DATABASE_URL, default the local one) and on the embedded database.
 *
 *   crash      50 writers post replies, and an admin hides and restores a
 *              thread, while the app is killed with SIGKILL and restarted;
 *              every acknowledged reply is stored exactly once, every
 *              acknowledged decision is logged, and the counters match the
 *              rows (PostgreSQL, then PGlite)
 *   drain      SIGTERM under load: what was sent before it is answered, new
 *              connections are refused, the process exits 0 with its
 *              connections to the database closed
 *   overload   far more requests than the pool: each is answered or refused
 *              with 503 in bounded time, memory stays bounded, and the
 *              server serves normally afterwards
 *   outage     the database refuses the app for 10 s: /healthz and pages
 *              answer 503, the process lives on, and it recovers by itself
 *   soak       mixed reads and writes (90/10) for FAULTS_SOAK_SECONDS
 *              (default 300): memory, open files and p99 stay level
 *
 * Run a subset with its names: npm run test:faults -- crash drain
 */
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import autocannon from "autocannon";
import postgres from "postgres";
import { startApp, type RunningApp } from "../e2e/app-server";

const serverUrl = new URL(process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
const SESSION_SECRET = crypto.randomBytes(32).toString("hex");
const DEMO_PASSWORD = "reading-together";
// Demo accounts whose replies are never held or rate limited, so every
// acknowledged reply is a published one.
const WRITERS = ["june-whitaker@example.org", "dev-patel@example.org"];
const THREAD_ID = 1;

type Check = { scenario: string; what: string; ok: boolean; detail: string };
const checks: Check[] = [];
function check(scenario: string, what: string, ok: boolean, detail = "") {
  checks.push({ scenario, what, ok, detail });
  process.stdout.write(`  ${ok ? "PASS" : "FAIL"}  ${what}${detail ? `: ${detail}` : ""}\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A database of its own on the server, dropped afterwards. */
async function withServerDatabase<T>(work: (url: string) => Promise<T>) {
  const name = `crosswalk_faults_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    return await work(url.toString());
  } finally {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

function rssOf(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}
const openFilesOf = (pid: number) => fs.readdirSync(`/proc/${pid}/fd`).length;
const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

async function logIn(baseUrl: string, email: string) {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (response.status !== 302 || !cookie)
    throw new Error(`Logging in as ${email} failed: ${response.status}`);
  return cookie;
}

/** Posts one reply; the comment id when the server acknowledged it (a redirect to it), otherwise undefined. */
async function postReply(baseUrl: string, cookie: string, body: string) {
  try {
    const response = await fetch(`${baseUrl}/posts/${THREAD_ID}`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl, Cookie: cookie },
      body: new URLSearchParams({ body, submissionKey: crypto.randomUUID() }),
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    const id = /#comment-(\d+)$/.exec(response.headers.get("location") ?? "")?.[1];
    return response.status === 302 && id ? Number(id) : undefined;
  } catch {
    return undefined; // refused, reset or timed out: not acknowledged
  }
}

type Rows = {
  replies: { id: number; body: string }[];
  counterMismatches: number;
  /** The moderated thread: its status, and its hide and restore log rows, oldest first. */
  moderated: { status: string; logged: string[] };
};

/** A thread other than the one written to, hidden and restored over and over while the app is killed. */
const MODERATED_THREAD_ID = 2;

/**
 * Writers post, and the admin moderates, for at least 30 s while the app is
 * killed and restarted; then `readRows` reads what was stored: every
 * acknowledged reply exactly once, every acknowledged decision logged, and no
 * counter that disagrees with the rows.
 */
async function crashScenario(
  label: string,
  environment: Record<string, string>,
  readRows: () => Promise<Rows>,
) {
  const scenario = `crash (${label})`;
  process.stdout.write(`\n${scenario}\n`);
  const port = await freePort();
  const env = { ...environment, PORT: String(port), SESSION_SECRET, LOG_LEVEL: "error" };
  let app: RunningApp = await startApp(env);
  const baseUrl = `http://127.0.0.1:${port}`;
  const cookies = await Promise.all(WRITERS.map((email) => logIn(baseUrl, email)));

  const acknowledged = new Map<string, number>();
  let attempts = 0;
  let stop = false;
  const writer = async (index: number) => {
    for (let sequence = 0; !stop; sequence++) {
      const marker = `fault-${label}-${index}-${sequence}`;
      attempts++;
      const id = await postReply(baseUrl, cookies[index % cookies.length]!, `Crash test reply ${marker}.`);
      if (id !== undefined) acknowledged.set(marker, id);
      else await sleep(50);
    }
  };
  const writers = Array.from({ length: 50 }, (_, index) => writer(index));
  // The admin hides and restores another thread the whole time; each acknowledged decision must be logged.
  let decisionsAcknowledged = 0;
  const moderator = async () => {
    for (let hide = true; !stop;) {
      try {
        const response = await fetch(`${baseUrl}/posts/${MODERATED_THREAD_ID}`, {
          method: "POST",
          redirect: "manual",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Origin: baseUrl,
            Cookie: cookies[0]!,
          },
          body: new URLSearchParams({ intent: hide ? "hide" : "restore", reason: "Crash test" }),
          signal: AbortSignal.timeout(15_000),
        });
        await response.arrayBuffer();
        if (response.status === 302) {
          decisionsAcknowledged++;
          hide = !hide;
        } else if (response.status === 409) {
          hide = !hide; // done already: a decision acknowledged to no one, killed before its answer
        }
      } catch {
        // not acknowledged
      }
      await sleep(100);
    }
  };
  const moderating = moderator();

  let kills = 0;
  const started = Date.now();
  while (Date.now() - started < 30_000 || kills < 5) {
    await sleep(2_000 + Math.random() * 3_000);
    app.process.kill("SIGKILL");
    await new Promise((resolve) => app.process.once("exit", resolve));
    kills++;
    app = await startApp(env);
  }
  await sleep(1_000);
  stop = true;
  await Promise.all([...writers, moderating]);
  await app.stop();

  const rows = await readRows();
  const byBody = new Map<string, number[]>();
  for (const reply of rows.replies) byBody.set(reply.body, [...(byBody.get(reply.body) ?? []), reply.id]);
  const missing = [...acknowledged].filter(([marker, id]) => {
    const ids = byBody.get(`Crash test reply ${marker}.`) ?? [];
    return ids.length !== 1 || ids[0] !== id;
  });
  const duplicated = [...byBody.values()].filter((ids) => ids.length > 1).length;
  check(scenario, `the app was killed with SIGKILL and restarted ${kills} times`, kills >= 5);
  check(
    scenario,
    "every acknowledged reply is stored exactly once, under the id the answer named",
    acknowledged.size > 0 && missing.length === 0,
    `${acknowledged.size} acknowledged of ${attempts} sent, ${missing.length} missing or moved`,
  );
  check(scenario, "no reply is stored twice", duplicated === 0, `${duplicated} duplicated`);
  const { status, logged } = rows.moderated;
  const alternating = logged.every((action, index) => action === (index % 2 === 0 ? "hide" : "restore"));
  const lastLogged = logged.at(-1);
  check(
    scenario,
    "every acknowledged hide and restore is logged, and the thread is as its last log row says",
    decisionsAcknowledged > 0 &&
      logged.length >= decisionsAcknowledged &&
      alternating &&
      status === (lastLogged === "hide" ? "hidden" : "published"),
    `${decisionsAcknowledged} acknowledged, ${logged.length} logged, thread ${status}`,
  );
  check(
    scenario,
    "every post's reply count matches its replies",
    rows.counterMismatches === 0,
    `${rows.counterMismatches} mismatches`,
  );
}

const COUNTER_MISMATCHES = `
  select count(*)::int as n from posts p
  where p.comment_count <> (
    select count(*) from comments c
    where c.post_id = p.id and c.status = 'approved' and c.deleted_at is null)`;

async function crashOnServer() {
  await withServerDatabase((url) =>
    crashScenario("PostgreSQL server", { DATABASE_URL: url }, async () => {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const replies = await sql<{ id: number; body: string }[]>`
          select id, body_md as body from comments where post_id = ${THREAD_ID}`;
        const [mismatch] = await sql.unsafe<{ n: number }[]>(COUNTER_MISMATCHES);
        const [post] = await sql<
          { status: string }[]
        >`select status from posts where id = ${MODERATED_THREAD_ID}`;
        const logged = await sql<{ action: string }[]>`
          select action from moderation_actions
          where post_id = ${MODERATED_THREAD_ID} and action in ('hide', 'restore') order by id`;
        return {
          replies: [...replies],
          counterMismatches: mismatch!.n,
          moderated: { status: post!.status, logged: logged.map((row) => row.action) },
        };
      } finally {
        await sql.end();
      }
    }),
  );
}

async function crashOnEmbedded() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswalk-faults-"));
  try {
    await crashScenario("embedded PGlite", { DATABASE_URL: "", DATA_DIR: dataDir }, async () => {
      const db = await PGlite.create(path.join(dataDir, "pglite"));
      try {
        const replies = await db.query<{ id: number; body: string }>(
          "select id, body_md as body from comments where post_id = $1",
          [THREAD_ID],
        );
        const mismatch = await db.query<{ n: number }>(COUNTER_MISMATCHES);
        const post = await db.query<{ status: string }>("select status from posts where id = $1", [
          MODERATED_THREAD_ID,
        ]);
        const logged = await db.query<{ action: string }>(
          "select action from moderation_actions where post_id = $1 and action in ('hide', 'restore') order by id",
          [MODERATED_THREAD_ID],
        );
        return {
          replies: replies.rows,
          counterMismatches: mismatch.rows[0]!.n,
          moderated: { status: post.rows[0]!.status, logged: logged.rows.map((row) => row.action) },
        };
      } finally {
        await db.close();
      }
    });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function drainScenario() {
  const scenario = "drain";
  process.stdout.write(`\n${scenario}\n`);
  await withServerDatabase(async (url) => {
    const port = await freePort();
    const app = await startApp({
      DATABASE_URL: url,
      PORT: String(port),
      SESSION_SECRET,
      SHUTDOWN_TIMEOUT_MS: "10000",
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    let signalAt = Infinity;
    let stop = false;
    const failuresSentBefore: string[] = [];
    let answered = 0;
    const reader = async () => {
      while (!stop) {
        const sentAt = Date.now();
        try {
          const response = await fetch(`${baseUrl}/posts/${THREAD_ID}`, {
            signal: AbortSignal.timeout(15_000),
          });
          await response.arrayBuffer();
          if (response.status === 200) answered++;
          else if (sentAt < signalAt) failuresSentBefore.push(`status ${response.status}`);
        } catch (error) {
          // A request sent in the last moment before the signal may not have reached the server yet.
          if (sentAt < signalAt - 100) failuresSentBefore.push(String((error as Error).cause ?? error));
          if (sentAt > signalAt) await sleep(20);
        }
      }
    };
    const readers = Array.from({ length: 20 }, reader);
    await sleep(3_000);
    const exited = new Promise<number | null>((resolve) => app.process.once("exit", resolve));
    signalAt = Date.now();
    app.process.kill("SIGTERM");
    await sleep(500);
    let refused = false;
    try {
      await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5_000) });
    } catch (error) {
      refused = /ECONNREFUSED/.test(String((error as Error).cause ?? error));
    }
    const code = await Promise.race([exited, sleep(20_000).then(() => "still running" as const)]);
    const exitSeconds = (Date.now() - signalAt) / 1000;
    stop = true;
    await Promise.all(readers);
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    const [left] = await admin<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
    await admin.end();

    check(
      scenario,
      "every request sent before SIGTERM was answered",
      failuresSentBefore.length === 0,
      [`${answered} answered`, ...failuresSentBefore.slice(0, 3)].join("; "),
    );
    check(scenario, "a new connection after SIGTERM is refused", refused);
    check(
      scenario,
      "the process exits 0 within its deadline",
      code === 0,
      `exit ${code} after ${exitSeconds.toFixed(1)} s`,
    );
    check(scenario, "its connections to the database are closed", left!.n === 0, `${left!.n} left`);
  });
}

async function overloadScenario() {
  const scenario = "overload";
  process.stdout.write(`\n${scenario}\n`);
  await withServerDatabase(async (url) => {
    const port = await freePort();
    const limits = {
      DATABASE_POOL_SIZE: "2",
      MAX_ACTIVE_REQUESTS: "4",
      MAX_QUEUED_REQUESTS: "20",
      QUEUE_TIMEOUT_MS: "1000",
    };
    const app = await startApp({ DATABASE_URL: url, PORT: String(port), SESSION_SECRET, ...limits });
    const baseUrl = `http://127.0.0.1:${port}`;
    const pid = app.process.pid!;
    await autocannon({ url: `${baseUrl}/posts/${THREAD_ID}`, connections: 4, duration: 3 });
    const rssBefore = rssOf(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssOf(pid))), 250);
    // 200 connections against 2 database connections and 24 places.
    const result = await autocannon({
      url: `${baseUrl}/posts/${THREAD_ID}`,
      connections: 200,
      duration: 15,
      timeout: 10,
    });
    clearInterval(sampler);
    const statuses = result.statusCodeStats as Record<string, { count: number }>;
    const other = Object.entries(statuses).filter(([status]) => status !== "200" && status !== "503");
    const after = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${baseUrl}/posts/${THREAD_ID}`).then((response) => response.status),
      ),
    );
    await app.stop();

    check(
      scenario,
      "every request was answered: 200, or 503 from the gate",
      other.length === 0 && result.errors === 0 && result.timeouts === 0,
      `${statuses["200"]?.count ?? 0} × 200, ${statuses["503"]?.count ?? 0} × 503, other ${JSON.stringify(other)}, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
    check(scenario, "some were refused, so the bound was reached", (statuses["503"]?.count ?? 0) > 0);
    check(
      scenario,
      "no answer took longer than the queue's timeout plus 5 s",
      result.latency.max <= 6_000,
      `max ${result.latency.max} ms, p99 ${result.latency.p99} ms`,
    );
    check(
      scenario,
      "memory stayed bounded (under 200 MiB above the start)",
      rssPeak - rssBefore < 200 * 1024 * 1024,
      `${mib(rssBefore)} → peak ${mib(rssPeak)}`,
    );
    check(
      scenario,
      "the server serves normally when the load stops",
      after.every((status) => status === 200),
      after.join(" "),
    );
  });
}

async function outageScenario() {
  const scenario = "outage";
  process.stdout.write(`\n${scenario}\n`);
  await withServerDatabase(async (url) => {
    const name = new URL(url).pathname.slice(1);
    const port = await freePort();
    const app = await startApp({ DATABASE_URL: url, PORT: String(port), SESSION_SECRET });
    const baseUrl = `http://127.0.0.1:${port}`;
    const admin = postgres(serverUrl.toString(), { max: 1, onnotice: () => {} });
    const statuses = new Map<number, number>();
    const appUnreachable: string[] = [];
    let stop = false;
    const reader = async (index: number) => {
      while (!stop) {
        try {
          const response = await fetch(`${baseUrl}${index % 2 ? `/posts/${THREAD_ID}` : "/"}`, {
            signal: AbortSignal.timeout(15_000),
          });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        } catch (error) {
          appUnreachable.push(String((error as Error).cause ?? error));
        }
        await sleep(100);
      }
    };
    const readers = Array.from({ length: 4 }, (_, index) => reader(index));
    const before = await fetch(`${baseUrl}/healthz`);

    // The outage: every connection to this database cut, and new ones refused, for 10 s.
    await admin.unsafe(`alter database "${name}" allow_connections false`);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`;
    await sleep(1_000);
    const health = await fetch(`${baseUrl}/healthz`);
    const page = await fetch(`${baseUrl}/posts/${THREAD_ID}`, { headers: { Accept: "text/html" } });
    const pageText = await page.text();
    await sleep(9_000);
    await admin.unsafe(`alter database "${name}" allow_connections true`);
    const restoredAt = Date.now();
    let recovered = false;
    while (!recovered && Date.now() - restoredAt < 30_000) {
      recovered = (await fetch(`${baseUrl}/healthz`)).status === 200;
      if (!recovered) await sleep(250);
    }
    const recoverySeconds = (Date.now() - restoredAt) / 1000;
    const after = await Promise.all(
      ["/", `/posts/${THREAD_ID}`, "/tags"].map((path) =>
        fetch(`${baseUrl}${path}`).then((response) => response.status),
      ),
    );
    stop = true;
    await Promise.all(readers);
    const alive = app.process.exitCode === null && app.process.signalCode === null;
    await app.stop();
    await admin.end();

    check(
      scenario,
      "/healthz answers 200 before the outage and 503 during it",
      before.status === 200 && health.status === 503,
      `${before.status}, then ${health.status}`,
    );
    check(
      scenario,
      "a page during the outage is a 503 saying the database can't be reached",
      page.status === 503 &&
        pageText.includes("can't reach its database") &&
        page.headers.get("retry-after") === "30",
      `status ${page.status}`,
    );
    check(
      scenario,
      "the process kept running and answering throughout",
      alive && appUnreachable.length === 0,
      appUnreachable.slice(0, 3).join("; "),
    );
    const seen = [...statuses].map(([status, count]) => `${count} × ${status}`).join(", ");
    check(
      scenario,
      "readers saw only pages and 503s",
      [...statuses.keys()].every((status) => status === 200 || status === 503),
      seen,
    );
    check(
      scenario,
      "it recovers by itself when the database is back",
      recovered && after.every((status) => status === 200),
      `healthy after ${recoverySeconds.toFixed(1)} s; then ${after.join(" ")}`,
    );
  });
}

async function soakScenario() {
  const scenario = "soak";
  const seconds = Number(process.env.FAULTS_SOAK_SECONDS ?? 300);
  process.stdout.write(`\n${scenario} (${seconds} s)\n`);
  await withServerDatabase(async (url) => {
    const port = await freePort();
    const app = await startApp({ DATABASE_URL: url, PORT: String(port), SESSION_SECRET });
    const baseUrl = `http://127.0.0.1:${port}`;
    const pid = app.process.pid!;
    const cookies = await Promise.all(WRITERS.map((email) => logIn(baseUrl, email)));
    // Spread over every open thread, as a forum's traffic is, so no one thread grows without end.
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const threads = (
      await sql<{ id: number }[]>`select id from posts where status = 'published' and not locked order by id`
    ).map((row) => row.id);
    await sql.end();
    const anyThread = () => threads[Math.floor(Math.random() * threads.length)]!;
    let posted = 0;
    const request = (autocannonRequest: autocannon.Request) => {
      // One request in ten posts a reply; the rest read the thread and the home page.
      const turn = Math.random();
      if (turn < 0.1) {
        posted++;
        return {
          ...autocannonRequest,
          method: "POST" as const,
          path: `/posts/${anyThread()}`,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            origin: baseUrl,
            cookie: cookies[posted % cookies.length]!,
          },
          body: new URLSearchParams({
            body: `Soak reply ${posted}.`,
            submissionKey: crypto.randomUUID(),
          }).toString(),
        };
      }
      return {
        ...autocannonRequest,
        method: "GET" as const,
        path: turn < 0.55 ? `/posts/${anyThread()}` : "/",
        body: undefined,
      };
    };
    const slice = Math.max(10, Math.round(seconds / 5));
    const samples: { rss: number; files: number; p99: number; non2xx: number }[] = [];
    for (let elapsed = 0; elapsed < seconds; elapsed += slice) {
      const result = await autocannon({
        url: baseUrl,
        connections: 10,
        duration: slice,
        requests: [{ setupRequest: request }],
      });
      samples.push({
        rss: rssOf(pid),
        files: openFilesOf(pid),
        p99: result.latency.p99,
        non2xx: result.non2xx - (result["3xx"] ?? 0) + result.errors,
      });
    }
    // The server logs warnings and errors only: whatever it said explains a failure below.
    const serverLog = app.output().trim();
    await app.stop();
    const clean = samples.every((sample) => sample.non2xx === 0);
    const [first, last] = [samples[0]!, samples.at(-1)!];
    const secondRss = samples[1]?.rss ?? first.rss;
    check(
      scenario,
      "no errors and no refusals",
      clean,
      `${samples.map((sample) => sample.non2xx).join(" ")}${clean ? "" : `\n${serverLog.slice(-3000)}`}`,
    );
    check(
      scenario,
      "memory is level after warm-up (last within 25 % of the second slice)",
      last.rss <= secondRss * 1.25,
      samples.map((sample) => mib(sample.rss)).join(" → "),
    );
    check(
      scenario,
      "open files are level (at most 10 more than at the first slice)",
      last.files <= first.files + 10,
      samples.map((sample) => sample.files).join(" → "),
    );
    check(
      scenario,
      // Against the better of the first two slices, and three times, so one noisy slice on a shared machine is no leak.
      "p99 is level (last slice at most 3 times the first two's best, or under 200 ms)",
      last.p99 <= Math.max(Math.min(first.p99, samples[1]?.p99 ?? first.p99) * 3, 200),
      samples.map((sample) => `${sample.p99} ms`).join(" → "),
    );
  });
}

const scenarios: Record<string, () => Promise<void>> = {
  crash: async () => {
    await crashOnServer();
    await crashOnEmbedded();
  },
  drain: drainScenario,
  overload: overloadScenario,
  outage: outageScenario,
  soak: soakScenario,
};

async function main() {
  const chosen = process.argv.slice(2);
  const unknown = chosen.filter((name) => !(name in scenarios));
  if (unknown.length > 0) {
    process.stderr.write(
      `Unknown scenario: ${unknown.join(", ")}. Known: ${Object.keys(scenarios).join(", ")}.\n`,
    );
    process.exit(2);
  }
  if (!fs.existsSync(path.resolve(import.meta.dirname, "../../build/server/index.js"))) {
    process.stderr.write("No build: run npm run build first.\n");
    process.exit(2);
  }
  const startedAt = Date.now();
  for (const name of chosen.length > 0 ? chosen : Object.keys(scenarios)) await scenarios[name]!();
  const failed = checks.filter((item) => !item.ok);
  process.stdout.write(
    `\n${checks.length - failed.length} of ${checks.length} checks passed in ${Math.round((Date.now() - startedAt) / 1000)} s.\n`,
  );
  process.exit(failed.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
