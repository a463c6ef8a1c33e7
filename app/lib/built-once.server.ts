import type { PgPreparedQuery, PreparedQueryConfig } from "drizzle-orm/pg-core";
import { PgTransaction } from "drizzle-orm/pg-core";
import { getDb, type Database, type Executor } from "./db.server";

type PreparedQuery = PgPreparedQuery<PreparedQueryConfig>;
type ExecuteResult<Query> = Query extends PgPreparedQuery<infer Config> ? Config["execute"] : never;

/**
 * A statement drizzle turns into SQL once per database instead of on every
 * run (decision 032). Building a statement walks its whole tree of columns,
 * tables and conditions: about 90 µs of CPU a statement on the posting path,
 * which runs a dozen for each comment. `build` makes the query with `sql.placeholder(name)`
 * wherever a value varies and ends with `.prepare(name)`; running it fills
 * the placeholders, on the database or inside the caller's transaction.
 */
export function builtOnce<Query extends PreparedQuery>(build: (db: Database) => Query) {
  const byDatabase = new WeakMap<Database, Query>();
  return (executor: Executor, values: Record<string, unknown>): Promise<ExecuteResult<Query>> => {
    const db = executor instanceof PgTransaction ? getDb() : executor;
    let query = byDatabase.get(db);
    if (!query) {
      query = build(db);
      byDatabase.set(db, query);
    }
    return onExecutor(query, executor).execute(values) as Promise<ExecuteResult<Query>>;
  };
}

/**
 * The query as it runs on `executor`: a transaction's statements must go to
 * its connection. drizzle's prepared queries of both drivers keep the client
 * they run on in `client`, as a transaction's session does; the test of this
 * module fails if a version of drizzle stops doing so.
 */
function onExecutor<Query extends PreparedQuery>(query: Query, executor: Executor): Query {
  if (!(executor instanceof PgTransaction)) return query;
  const client = (executor as unknown as { session: { client?: unknown } }).session.client;
  if (!client || !("client" in query)) {
    throw new Error("drizzle-orm changed: a transaction's session or a prepared query has no client");
  }
  return Object.create(query, { client: { value: client } }) as Query;
}
