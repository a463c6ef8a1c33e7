import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { Logger } from "drizzle-orm/logger";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "~/db/schema";
import { migrationsFolder } from "./project-root.server";
import { noteStatement } from "./request-work.server";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** A database handle or an open transaction: model functions accept either. */
export type Executor = Database | Transaction;

export type DatabaseConfig =
  | { driver: "postgres"; url: string; poolSize?: number }
  | { driver: "pglite"; dataDir?: string; loadDataDir?: Blob };

/**
 * What a process listening to a channel hears: each notification, and whether
 * it is listening at all. While it is not (the connection was lost, and with it
 * any notification sent meanwhile) it must not trust what it heard before.
 */
export type DatabaseListener = {
  notified(): void;
  listening(yes: boolean): void;
};

type Connection = {
  driver: DatabaseConfig["driver"];
  db: Database;
  migrate(): Promise<void>;
  close(): Promise<void>;
  listen(channel: string, listener: DatabaseListener): Promise<() => Promise<void>>;
  pglite?: PGlite;
};

// Both drivers and the client use snake_case columns (drizzle.config.ts says the same).
const casing = "snake_case" as const;

/**
 * Counts statements, so tests can prove a page's query count is constant, and
 * keeps their text and parameters while recordQueries runs, so tests can prove
 * a page writes nothing and EXPLAIN what it reads.
 */
type Recording = { statements: string[]; parameters: unknown[][] };
const queryCounter = { count: 0, recordings: new Set<Recording>() };
const countingLogger: Logger = {
  logQuery(query, params) {
    queryCounter.count++;
    noteStatement(query);
    for (const recording of queryCounter.recordings) {
      recording.statements.push(query);
      recording.parameters.push(params);
    }
  },
};

// One connection per process, kept on globalThis so that a module loaded twice
// (Vite's dev server reloading, the bundled build beside tsx) never opens a
// second PGlite on the same folder.
const globalState = globalThis as typeof globalThis & { __crosswalkConnection?: Connection };

/**
 * The client drizzle is given: postgres.js with every statement prepared
 * (decision 031), and transactions that send BEGIN with their first
 * statements (decision 033). drizzle-orm 0.45 passes `prepare: false` to each query
 * (drizzle-orm#6096), and postgres.js then sends a parameterised statement as
 * Parse/Describe, waits for the answer, and only then as Bind/Execute: two
 * round trips each, and never pipelined. A prepared statement, once described
 * on a connection, is one round trip and pipelines with its neighbours.
 */
function preparingEveryStatement(client: postgres.Sql, transaction?: OpenTransaction): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: object) => {
          const pending = target.unsafe(query, parameters, { ...options, prepare: true });
          transaction?.noteAsked(pending);
          return pending;
        };
      }
      if (property === "begin") {
        return <T>(work: (scoped: postgres.Sql) => Promise<T>) => transactionSendingBeginAhead(target, work);
      }
      if (property === "savepoint") {
        return <T>(work: (scoped: postgres.Sql) => Promise<T>) => withSavepoint(target, work, transaction);
      }
      if (property === COMMIT_AHEAD) return transaction?.commitAhead;
      return Reflect.get(target, property, receiver);
    },
  });
}

const COMMIT_AHEAD = Symbol("commit ahead");

/** A transaction transactionSendingBeginAhead has open: the statements it has asked for, and its early COMMIT. */
type OpenTransaction = { noteAsked(query: object): void; commitAhead(): void };

const handedOver = (query: object) => (query as { executed?: boolean }).executed === true;

/**
 * Sends the transaction's COMMIT right behind the statements it has asked
 * for so far, before their answers are back: one round trip fewer for a
 * transaction whose last statements those are (decision 033).
 *
 * Call it with the last statements asked for and unanswered: a statement
 * built once is asked for when it is called, a drizzle query builder only
 * when it is awaited or `.execute()`d, so one merely built would run after
 * the COMMIT, outside the transaction. Decide nothing after it: if one of
 * those statements fails, PostgreSQL answers the COMMIT with a rollback and
 * the error reaches the caller; if they succeed, the transaction is
 * committed whatever the callback does next. On PGlite, which has no round
 * trips to save, it changes nothing.
 */
export function commitWithLastStatements(tx: Transaction) {
  const client = (tx as unknown as { session: { client: Record<symbol, unknown> } }).session.client;
  const commitAhead = client[COMMIT_AHEAD] as (() => void) | undefined;
  commitAhead?.();
}

/**
 * A transaction on a connection of the pool's own. postgres.js's begin()
 * waits for BEGIN's answer before it lets the first statement go: a round
 * trip that does nothing. Here BEGIN is sent, and the transaction's first
 * statements follow it on the same connection, in one write; PostgreSQL
 * runs them in order, so they run inside the transaction, and a BEGIN that
 * fails fails them too (decision 033).
 */
async function transactionSendingBeginAhead<T>(
  pool: postgres.Sql,
  work: (scoped: postgres.Sql) => Promise<T>,
): Promise<T> {
  const connection = await pool.reserve();
  // postgres.js hands a query to its connection a tick after it is asked
  // for, in the order asked: nothing the transaction asks overtakes BEGIN.
  const begun = connection.unsafe("begin").execute();
  // Its failure reaches the caller below, or through the first statement.
  begun.catch(() => {});
  let committing: Promise<postgres.RowList<postgres.Row[]>> | undefined;
  // Only those not yet handed over: a long transaction (an import) keeps no answers here.
  let waiting: object[] = [];
  const transaction: OpenTransaction = {
    noteAsked(query) {
      if (waiting.length >= 64) waiting = waiting.filter((earlier) => !handedOver(earlier));
      waiting.push(query);
    },
    commitAhead() {
      committing ??= afterHandedOver(waiting, () => connection.unsafe("commit").execute());
      committing.catch(() => {});
    },
  };
  let result: T;
  try {
    result = await work(preparingEveryStatement(connection, transaction));
    await begun;
    // A statement that failed unawaited aborted the transaction, and PostgreSQL answers its COMMIT with a rollback.
    const committed = await (committing ?? connection.unsafe("commit"));
    if (committed.command !== "COMMIT")
      throw new Error("The transaction was rolled back: a statement in it failed.");
  } catch (error) {
    if (await rolledBack(connection)) connection.release();
    throw error;
  }
  connection.release();
  return result;
}

/**
 * Sends a statement once every one asked before it has been handed to the
 * connection (postgres.js marks a query `executed` a tick before it hands
 * it over, in order), so that it goes out after them.
 */
async function afterHandedOver<Result>(asked: object[], send: () => Promise<Result>): Promise<Result> {
  for (let ticks = 0; !asked.every(handedOver); ticks++) {
    if (ticks === 100) throw new Error("postgres.js changed: a statement asked for was never sent");
    await null;
  }
  return send();
}

/**
 * Ends a failed transaction. False when the connection is gone: postgres.js
 * has then taken it back as closed, and releasing it would hand the next
 * query a dead connection.
 */
async function rolledBack(connection: postgres.ReservedSql) {
  try {
    await connection.unsafe("rollback");
    return true;
  } catch {
    return false;
  }
}

/** drizzle's nested transaction: a savepoint in the one that is open. */
let savepointsMade = 0;
async function withSavepoint<T>(
  connection: postgres.Sql,
  work: (scoped: postgres.Sql) => Promise<T>,
  transaction?: OpenTransaction,
) {
  const name = `nested_${++savepointsMade}`;
  await connection.unsafe(`savepoint ${name}`);
  try {
    const result = await work(preparingEveryStatement(connection, transaction));
    await connection.unsafe(`release savepoint ${name}`);
    return result;
  } catch (error) {
    await connection.unsafe(`rollback to savepoint ${name}`);
    throw error;
  }
}

function openPostgres(url: string, poolSize = 10): Connection {
  const client = postgres(url, {
    max: poolSize,
    idle_timeout: 30,
    connect_timeout: 10,
    // After a failed connection a query waits this long before trying again.
    // postgres.js's default grows to 10-20 s, so during an outage pages hung
    // instead of answering 503, and recovery took as long; here at most 1 s.
    backoff: (retries: number) => Math.min(2 ** retries / 100, 1),
    onnotice: () => {},
  });
  const db = drizzlePostgres({
    client: preparingEveryStatement(client),
    schema,
    casing,
    logger: countingLogger,
  }) as unknown as Database;
  return {
    driver: "postgres",
    db,
    async migrate() {
      // Several app processes may start at once: one migrates, the others wait.
      const migrationClient = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await migrationClient`select pg_advisory_lock(hashtext('crosswalk-migrations'))`;
        await migratePostgres(drizzlePostgres({ client: migrationClient, casing }), { migrationsFolder });
      } finally {
        await migrationClient.end({ timeout: 5 });
      }
    },
    async close() {
      await client.end({ timeout: 5 });
    },
    listen: (channel, listener) => listenOnServer(url, channel, listener),
  };
}

/**
 * LISTEN on a connection of its own, made again whenever it is lost.
 * (postgres.js's own listen() tries again once, and stays deaf if the server
 * is still down.) A connection that dies without closing (a firewall dropping
 * an idle one) sends no close: a query every 10 seconds finds it out.
 */
async function listenOnServer(url: string, channel: string, listener: DatabaseListener) {
  let stopped = false;
  let current: postgres.Sql | undefined;
  let retry: NodeJS.Timeout | undefined;
  const openLater = () => {
    clearTimeout(retry);
    if (stopped) return;
    retry = setTimeout(() => void open().catch(openLater), 1_000);
    retry.unref();
  };
  const drop = (connection: postgres.Sql) => {
    if (connection !== current) return;
    current = undefined;
    listener.listening(false);
    void connection.end({ timeout: 0 }).catch(() => undefined);
    openLater();
  };
  const open = async () => {
    // onnotify is the option postgres.js's own listen() is built on; its types leave it out.
    const notificationOption = {
      onnotify: (name: string) => {
        if (name === channel) listener.notified();
      },
    };
    const connection: postgres.Sql = postgres(url, {
      max: 1,
      idle_timeout: 0,
      max_lifetime: null,
      connect_timeout: 10,
      onnotice: () => {},
      onclose: () => drop(connection),
      ...(notificationOption as object),
    });
    current = connection;
    try {
      await connection.unsafe(`listen "${channel.replaceAll('"', '""')}"`);
    } catch (error) {
      drop(connection);
      throw error;
    }
    if (connection === current) listener.listening(true);
  };
  const heartbeat = setInterval(() => {
    const connection = current;
    if (!connection) return;
    let deadline: NodeJS.Timeout | undefined;
    const silence = new Promise((_, reject) => {
      deadline = setTimeout(() => reject(new Error("the listening connection did not answer")), 5_000);
    });
    Promise.race([connection`select 1`, silence])
      .catch(() => drop(connection))
      .finally(() => clearTimeout(deadline));
  }, 10_000);
  heartbeat.unref();
  const stop = async () => {
    stopped = true;
    clearTimeout(retry);
    clearInterval(heartbeat);
    listener.listening(false);
    const connection = current;
    current = undefined;
    await connection?.end({ timeout: 1 });
  };
  try {
    await open();
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

function openPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): Connection {
  const client = new PGlite({ dataDir, loadDataDir });
  const db = drizzlePglite({ client, schema, casing, logger: countingLogger }) as unknown as Database;
  return {
    driver: "pglite",
    db,
    pglite: client,
    async migrate() {
      await migratePglite(drizzlePglite({ client, casing }), { migrationsFolder });
      // PGlite learns the array types (an enum's, say) when it opens; a
      // database migrated after that must teach it the new ones, or it sends
      // such an array parameter as plain text.
      await client.refreshArrayTypes();
    },
    async close() {
      if (!client.closed) await client.close();
    },
    async listen(channel, listener) {
      // One process holds the embedded database: its connection is never lost.
      const stop = await client.listen(channel, () => listener.notified());
      listener.listening(true);
      return async () => {
        listener.listening(false);
        if (!client.closed) await stop();
      };
    },
  };
}

export function connectDatabase(config: DatabaseConfig): Connection {
  if (globalState.__crosswalkConnection) throw new Error("The database is already connected.");
  const connection =
    config.driver === "postgres"
      ? openPostgres(config.url, config.poolSize)
      : openPglite(config.dataDir, config.loadDataDir);
  globalState.__crosswalkConnection = connection;
  return connection;
}

export function isDatabaseConnected() {
  return globalState.__crosswalkConnection !== undefined;
}

function currentConnection() {
  const connection = globalState.__crosswalkConnection;
  if (!connection) throw new Error("The database is not connected: start the app through startApp().");
  return connection;
}

export function getDb(): Database {
  return currentConnection().db;
}

export function getDatabaseDriver() {
  return currentConnection().driver;
}

/** Tells `listener` of every notification on `channel`, and whether it is listening; answers how to stop. */
export async function listenToDatabase(channel: string, listener: DatabaseListener) {
  return currentConnection().listen(channel, listener);
}

export async function migrateDatabase() {
  await currentConnection().migrate();
}

export async function closeDatabase() {
  const connection = globalState.__crosswalkConnection;
  if (!connection) return;
  globalState.__crosswalkConnection = undefined;
  await connection.close();
}

/** The data folder of the embedded database as a tarball (tests load it as a template). */
export async function dumpEmbeddedDatabase(): Promise<Blob> {
  const pglite = currentConnection().pglite;
  if (!pglite) throw new Error("Only the embedded database can be dumped.");
  return pglite.dumpDataDir("none");
}

/**
 * Runs raw SQL and returns its rows. postgres.js answers with an array and
 * PGlite with `{ rows }`; this is the one place that knows.
 */
export async function executeRows<Row extends Record<string, unknown>>(
  query: SQL,
  executor: Executor = getDb(),
): Promise<Row[]> {
  const result = (await executor.execute(query)) as unknown;
  if (Array.isArray(result)) return result as Row[];
  return (result as { rows: Row[] }).rows;
}

/** Runs `work` and reports how many SQL statements it sent. */
export async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const before = queryCounter.count;
  const result = await work();
  return { result, queries: queryCounter.count - before };
}

/**
 * Runs `work` and answers the text of every SQL statement it sent, in order,
 * and beside each (same index) the parameters it was sent with.
 */
export async function recordQueries<T>(work: () => Promise<T>): Promise<Recording & { result: T }> {
  const recording: Recording = { statements: [], parameters: [] };
  queryCounter.recordings.add(recording);
  try {
    return { result: await work(), ...recording };
  } finally {
    queryCounter.recordings.delete(recording);
  }
}
