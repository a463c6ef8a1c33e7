/**
 * npm run test:faults: the server under faults, against a PostgreSQL server
 * (DATABASE_URL, default the local one), on a PostgreSQL cluster of the test's
 * own that it stops and starts (tests/faults/postgres-cluster.ts), and on the
 * embedded database.
 *
 *   crash           50 writers post replies, and an admin hides and restores
 *                   a thread, while the app is killed with SIGKILL and
 *                   restarted; every acknowledged reply is stored exactly
 *                   once, every acknowledged decision is logged, and the
 *                   counters match the rows (PostgreSQL, then PGlite)
 *   crash-postgres  the same, while PostgreSQL itself is stopped with
 *                   pg_ctl stop -m immediate and started again: the app lives
 *                   on, reconnects by itself, and what the database
 *                   acknowledged survives its crash recovery
 *   drain           SIGTERM under load: what was sent before it is answered,
 *                   new connections are refused, the process exits 0 with its
 *                   connections to the database closed
 *   overload        far more requests than the pool: each is answered or
 *                   refused with 503 in bounded time, memory stays bounded,
 *                   and the server serves normally afterwards
 *   outage          PostgreSQL is stopped (pg_ctl stop -m fast) for 10 s
 *                   under light load: /healthz and pages answer 503, the
 *                   process lives on, and it recovers by itself when
 *                   PostgreSQL starts again
 *   soak            mixed reads and writes (90/10) for FAULTS_SOAK_SECONDS
 *                   (default 300): memory, open files and p99 stay level
 *
 * Without PostgreSQL's binaries (initdb, pg_ctl, postgres) the scenarios that
 * stop PostgreSQL say SKIPPED, and outage cuts off its own database on the
 * shared server instead; in CI (CI=true) missing binaries are a failure.
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
import {
  BINARIES_PATTERN,
  createPrivateCluster,
  findPostgresBinaries,
  type PrivateCluster,
} from "./postgres-cluster";

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
const skipped: string[] = [];
function skip(scenario: string, what: string, because: string) {
  skipped.push(`${scenario}: ${what}`);
  process.stdout.write(`  SKIPPED  ${what}, because ${because}\n`);
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

/** A thread other than the one written to, hidden and restored over and over through the crashes. */
const MODERATED_THREAD_ID = 2;

/** What the crash scenario does to the running system, over and over, while it is written to. */
type Crash = {
  /** For the check line: "<done> 5 times". */
  done: string;
  /** Whether the app is started again, or must live through the crash and reconnect by itself. */
  restartsTheApp: boolean;
  /** Crashes, and brings back what crashed; resolves with the app to go on writing to. */
  crashAndRecover(app: RunningApp, env: Record<string, string>): Promise<RunningApp>;
};

const killTheApp: Crash = {
  done: "the app was killed with SIGKILL and restarted",
  restartsTheApp: true,
  async crashAndRecover(app, env) {
    app.process.kill("SIGKILL");
    await new Promise((resolve) => app.process.once("exit", resolve));
    return startApp(env);
  },
};

function stopPostgres(cluster: PrivateCluster): Crash {
  return {
    done: "PostgreSQL was stopped with pg_ctl stop -m immediate and started again",
    restartsTheApp: false,
    async crashAndRecover(app) {
      await cluster.stop("immediate");
      // Down for a moment of its own each time, so writers meet it both refusing and recovering.
      await sleep(500 + Math.random() * 1_500);
      await cluster.start();
      return app;
    },
  };
}

/** How long the app may take, after a crash is over, to acknowledge a reply again. */
const RECOVERY_DEADLINE_MS = 20_000;

/**
 * Writers post, and the admin moderates, for at least 30 s while `crash`
 * strikes (at least 5 times, each 2 to 5 s after the last one's recovery);
 * then `readRows` reads what was stored: every acknowledged reply exactly
 * once, every acknowledged decision logged, and no counter that disagrees
 * with the rows.
 */
async function crashScenario(
  scenario: string,
  environment: Record<string, string>,
  crash: Crash,
  readRows: () => Promise<Rows>,
) {
  const port = await freePort();
  const env = { ...environment, PORT: String(port), SESSION_SECRET, LOG_LEVEL: "error" };
  let app: RunningApp = await startApp(env);
  const firstApp = app;
  const baseUrl = `http://127.0.0.1:${port}`;
  const cookies = await Promise.all(WRITERS.map((email) => logIn(baseUrl, email)));

  const acknowledged = new Map<string, number>();
  let acknowledgedSinceRecovery = 0;
  let attempts = 0;
  let stop = false;
  const writer = async (index: number) => {
    for (let sequence = 0; !stop; sequence++) {
      const marker = `fault-${index}-${sequence}`;
      attempts++;
      const id = await postReply(baseUrl, cookies[index % cookies.length]!, `Crash test reply ${marker}.`);
      if (id !== undefined) {
        acknowledged.set(marker, id);
        acknowledgedSinceRecovery++;
      } else await sleep(50);
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
          hide = !hide; // done already: a decision acknowledged to no one, cut off before its answer
        }
      } catch {
        // not acknowledged
      }
      await sleep(100);
    }
  };
  const moderating = moderator();

  let crashes = 0;
  let slowestRecoveryMs = 0;
  let unrecovered = 0;
  const started = Date.now();
  const appDied = () => app.process.exitCode !== null || app.process.signalCode !== null;
  const nextCrashFrom = (time: number) => time + 2_000 + Math.random() * 3_000;
  let nextCrashAt = nextCrashFrom(started);
  while ((Date.now() - started < 30_000 || crashes < 5) && !appDied()) {
    await sleep(nextCrashAt - Date.now());
    app = await crash.crashAndRecover(app, env);
    crashes++;
    const recoveredAt = Date.now();
    nextCrashAt = nextCrashFrom(recoveredAt);
    // Writing must work again before the next crash, or a later one would hide that this one never recovered.
    acknowledgedSinceRecovery = 0;
    while (acknowledgedSinceRecovery === 0 && Date.now() - recoveredAt < RECOVERY_DEADLINE_MS && !appDied())
      await sleep(50);
    if (acknowledgedSinceRecovery === 0) unrecovered++;
    slowestRecoveryMs = Math.max(slowestRecoveryMs, Date.now() - recoveredAt);
  }
  await sleep(1_000);
  stop = true;
  await Promise.all([...writers, moderating]);
  const livedThrough = app === firstApp && !appDied();
  await app.stop();

  const rows = await readRows();
  const byBody = new Map<string, number[]>();
  for (const reply of rows.replies) byBody.set(reply.body, [...(byBody.get(reply.body) ?? []), reply.id]);
  const missing = [...acknowledged].filter(([marker, id]) => {
    const ids = byBody.get(`Crash test reply ${marker}.`) ?? [];
    return ids.length !== 1 || ids[0] !== id;
  });
  const duplicated = [...byBody.values()].filter((ids) => ids.length > 1).length;
  check(scenario, `${crash.done} ${crashes} times`, crashes >= 5);
  check(
    scenario,
    `after each, replies are acknowledged again within ${RECOVERY_DEADLINE_MS / 1000} s`,
    unrecovered === 0,
    `slowest ${(slowestRecoveryMs / 1000).toFixed(1)} s, ${unrecovered} never`,
  );
  if (!crash.restartsTheApp) {
    check(
      scenario,
      "the app process lived through every crash and reconnected by itself, with no restart",
      livedThrough,
      // The app logs errors only: the last it said before it died explains the failure.
      livedThrough
        ? ""
        : `it exited (${firstApp.process.exitCode ?? firstApp.process.signalCode}):\n${firstApp.output().trim().split("\n").slice(-12).join("\n")}`,
    );
  }
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

/** What the crash scenario stored, read from a PostgreSQL server. */
async function readServerRows(url: string): Promise<Rows> {
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
}

async function crashOnServer() {
  const scenario = "crash (PostgreSQL server)";
  process.stdout.write(`\n${scenario}\n`);
  await withServerDatabase((url) =>
    crashScenario(scenario, { DATABASE_URL: url }, killTheApp, () => readServerRows(url)),
  );
}

async function crashOnEmbedded() {
  const scenario = "crash (embedded PGlite)";
  process.stdout.write(`\n${scenario}\n`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "crosswalk-faults-"));
  try {
    await crashScenario(scenario, { DATABASE_URL: "", DATA_DIR: dataDir }, killTheApp, async () => {
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

async function crashWithPostgresStopped() {
  const scenario = "crash-postgres";
  process.stdout.write(`\n${scenario}\n`);
  await onPrivateCluster(scenario, "stopping PostgreSQL under 50 writers", (cluster) =>
    crashScenario(scenario, { DATABASE_URL: cluster.url }, stopPostgres(cluster), () =>
      readServerRows(cluster.url),
    ),
  );
}

const postgresBinaries = findPostgresBinaries();

/**
 * Runs `work` on a PostgreSQL cluster of the test's own, removed afterwards
 * whatever happens. Without PostgreSQL's binaries it says SKIPPED (a failure
 * in CI, which must run it) and returns false; a cluster that cannot be made
 * although the binaries are there is a failure.
 */
async function onPrivateCluster(
  scenario: string,
  what: string,
  work: (cluster: PrivateCluster) => Promise<void>,
) {
  if (!postgresBinaries) {
    const because = `there is no initdb, pg_ctl and postgres in ${BINARIES_PATTERN}`;
    if (process.env.CI === "true") check(scenario, `${what}: CI requires it`, false, because);
    else skip(scenario, what, because);
    return false;
  }
  let cluster: PrivateCluster;
  try {
    cluster = await createPrivateCluster(postgresBinaries, await freePort());
  } catch (error) {
    check(
      scenario,
      `a PostgreSQL cluster of the test's own starts (${postgresBinaries})`,
      false,
      (error as Error).message,
    );
    return true;
  }
  try {
    await work(cluster);
  } finally {
    await cluster.remove();
  }
  return true;
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
    // 50 connections, 25 times the 2 database connections (the issue asks for
    // 10 times) and twice the gate's 24 places, so a refused client asks again
    // at once, all the time. With 200 the load generator, on the same two
    // cores, fell behind itself: answers the app's own log timed at 1.2 s at
    // most reached it up to 7 s later, and this bound measured the client.
    // Each request a different address, as a client that defeats the visitors'
    // page cache with query strings would send: every one must be rendered,
    // so every one needs the database and the gate.
    let sent = 0;
    const result = await autocannon({
      url: `${baseUrl}/posts/${THREAD_ID}`,
      connections: 50,
      duration: 15,
      timeout: 10,
      requests: [
        {
          setupRequest: (request) => ({ ...request, path: `/posts/${THREAD_ID}?n=${++sent}` }),
        },
      ],
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

/**
 * The errors in the app's log (and warnings with `level` 40), each once with
 * its count, as "message: what caused it": what caused a failure is all it
 * needs, since the query text is long.
 */
function errorsIn(output: string, level = 50) {
  const counts = new Map<string, number>();
  for (const line of output.split("\n")) {
    let entry: { level?: number; msg?: string; err?: { message?: string; stack?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < level) continue;
    const cause = /caused by: (.*)/.exec(entry.err?.stack ?? "")?.[1] ?? entry.err?.message?.split("\n")[0];
    const summary = `${entry.msg}${cause ? `: ${cause}` : ""}`;
    counts.set(summary, (counts.get(summary) ?? 0) + 1);
  }
  return [...counts].map(([summary, count]) => `${count} × ${summary}`);
}

/** How the database is made unreachable for the outage, and brought back. */
type Outage = { begin(): Promise<void>; end(): Promise<void> };

async function outageScenario() {
  const scenario = "outage";
  process.stdout.write(`\n${scenario}\n`);
  const stoppedPostgres = await onPrivateCluster(
    scenario,
    "stopping PostgreSQL itself (pg_ctl stop; the test's database refuses the app instead)",
    (cluster) =>
      outageOn(scenario, cluster.url, {
        begin: () => cluster.stop("fast"),
        end: () => cluster.start(),
      }),
  );
  if (stoppedPostgres) return;
  await withServerDatabase(async (url) => {
    const name = new URL(url).pathname.slice(1);
    const admin = postgres(serverUrl.toString(), { max: 1, onnotice: () => {} });
    try {
      // Every connection to this database cut, and new ones refused: the shared server itself must stay up.
      await outageOn(scenario, url, {
        async begin() {
          await admin.unsafe(`alter database "${name}" allow_connections false`);
          await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name}`;
        },
        async end() {
          await admin.unsafe(`alter database "${name}" allow_connections true`);
        },
      });
    } finally {
      await admin.end();
    }
  });
}

/** 4 readers go on while the database is unreachable for 10 s, then the app must recover by itself. */
async function outageOn(scenario: string, url: string, outage: Outage) {
  const port = await freePort();
  const app = await startApp({ DATABASE_URL: url, PORT: String(port), SESSION_SECRET });
  const baseUrl = `http://127.0.0.1:${port}`;
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

  await outage.begin();
  await sleep(1_000);
  // A refused connection here is a finding (the process died), reported below with its last words.
  const unanswered = (error: unknown) => {
    appUnreachable.push(String((error as Error).cause ?? error));
    return { status: 0, headers: new Headers(), text: async () => "" };
  };
  const health = await fetch(`${baseUrl}/healthz`).catch(unanswered);
  const page = await fetch(`${baseUrl}/posts/${THREAD_ID}`, { headers: { Accept: "text/html" } }).catch(
    unanswered,
  );
  const pageText = await page.text();
  await sleep(9_000);
  await outage.end();
  const restoredAt = Date.now();
  const logBeforeRecovery = app.output().length;
  let recovered = false;
  while (!recovered && Date.now() - restoredAt < 30_000) {
    recovered = (await fetch(`${baseUrl}/healthz`).catch(unanswered)).status === 200;
    if (!recovered) await sleep(250);
  }
  const recoverySeconds = (Date.now() - restoredAt) / 1000;
  const after = await Promise.all(
    ["/", `/posts/${THREAD_ID}`, "/tags"].map((path) =>
      fetch(`${baseUrl}${path}`).then(
        (response) => response.status,
        (error: unknown) => unanswered(error).status,
      ),
    ),
  );
  stop = true;
  await Promise.all(readers);
  const alive = app.process.exitCode === null && app.process.signalCode === null;
  // The warnings that the database is unavailable are expected during the outage, not after it.
  const errorsLogged = errorsIn(app.output());
  const warningsAfterRecovery = errorsIn(app.output().slice(logBeforeRecovery), 40);
  await app.stop();

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
    [
      ...appUnreachable.slice(0, 3),
      ...(alive
        ? []
        : [`it exited; its last lines:\n${app.output().trim().split("\n").slice(-12).join("\n")}`]),
    ].join("; "),
  );
  const seen = [...statuses].map(([status, count]) => `${count} × ${status}`).join(", ");
  const onlyPagesAnd503s = [...statuses.keys()].every((status) => status === 200 || status === 503);
  check(
    scenario,
    "readers saw only pages and 503s",
    onlyPagesAnd503s,
    onlyPagesAnd503s ? seen : [seen, ...errorsLogged].join("\n      "),
  );
  const servesAgain = recovered && after.every((status) => status === 200);
  check(
    scenario,
    "it recovers by itself when the database is back",
    servesAgain,
    [
      `healthy after ${recoverySeconds.toFixed(1)} s; then ${after.join(" ")}`,
      ...(servesAgain ? [] : warningsAfterRecovery),
    ].join("\n      "),
  );
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
  "crash-postgres": crashWithPostgresStopped,
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
  if (skipped.length > 0) process.stdout.write(`SKIPPED: ${skipped.join("; ")}.\n`);
  process.exit(failed.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
