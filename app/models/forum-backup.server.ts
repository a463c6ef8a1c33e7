// The whole forum as one file and back: `npm run forum -- export` / `import`.
// A move between the embedded database and a server, or between servers,
// without pg_dump on hand. Reasoning: docs/decisions/025-forum-export-format.md.
import fs from "node:fs";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import { getTableConfig, PgTable, type PgColumn } from "drizzle-orm/pg-core";
import * as schema from "~/db/schema";
import { executeRows, getDb, type Executor } from "~/lib/db.server";
import { migrationsFolder } from "~/lib/project-root.server";

export const EXPORT_FORMAT = "crosswalk-forum-export";
export const EXPORT_VERSION = 1;

/**
 * Left out on purpose: sessions and reset tokens are secrets that a copy of
 * the forum must not carry (everyone logs in again after an import, and reset
 * links mailed before it stop working), and rate-limit counts only matter for
 * the minutes they cover.
 */
const NOT_EXPORTED = new Set(["sessions", "password_reset_tokens", "rate_limit_buckets"]);

/**
 * Rows read or written per statement: a forum of a million replies goes
 * through in bounded memory. Tests make it small to cross page boundaries.
 */
export type BackupOptions = { rowsPerStatement?: number };
const DEFAULT_ROWS_PER_STATEMENT = 500;

type ExportedTable = {
  name: string;
  /** Stored columns, in schema order; generated ones (search vectors) are computed again on import. */
  columns: string[];
  primaryKey: string[];
  identityColumns: string[];
  /** Columns that point at a table imported later (a cycle): inserted empty, filled in at the end. */
  deferredColumns: string[];
};

export class ForumImportError extends Error {
  override name = "ForumImportError";
}

/** The last migration this code knows: an export is only read by code at the same schema. */
export function currentSchemaTag(): string {
  const journal = JSON.parse(
    fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8"),
  ) as {
    entries: { tag: string }[];
  };
  return journal.entries.at(-1)!.tag;
}

/** The column's name in SQL: the schema names most columns by their camelCase key (casing: "snake_case"). */
const sqlName = (column: PgColumn) => (column.keyAsName ? toSnakeCase(column.name) : column.name);

function describeTable(table: PgTable) {
  const config = getTableConfig(table);
  const stored = config.columns.filter((column) => !column.generated);
  const primaryKey =
    config.primaryKeys[0]?.columns.map(sqlName) ??
    config.columns.filter((column) => column.primary).map(sqlName);
  if (primaryKey.length === 0)
    throw new Error(`Table ${config.name} has no primary key: the export reads in its order.`);
  const references = config.foreignKeys.map((foreignKey) => {
    const reference = foreignKey.reference();
    return {
      columns: reference.columns as PgColumn[],
      table: getTableConfig(reference.foreignTable).name,
    };
  });
  return {
    name: config.name,
    columns: stored.map(sqlName),
    primaryKey,
    identityColumns: stored
      .filter((column) => (column as { generatedIdentity?: unknown }).generatedIdentity)
      .map(sqlName),
    references,
  };
}

/**
 * The exported tables, each after every table it refers to, so rows can be
 * inserted in file order. A reference to the table itself (a reply's parent)
 * needs nothing: rows go in primary-key order and a parent is always older.
 * A cycle (a post's accepted answer is a comment on it) is broken at a
 * nullable column, which is filled in after everything is in.
 */
function exportedTables(): ExportedTable[] {
  const described = (Object.values(schema) as unknown[])
    .filter((value): value is PgTable => value instanceof PgTable)
    .map(describeTable)
    .filter((table) => !NOT_EXPORTED.has(table.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  const byName = new Map(described.map((table) => [table.name, table]));
  /** Whether `from` refers, through any chain of other tables, to `to`. */
  const leadsTo = (from: string, to: string, seen = new Set<string>()): boolean =>
    (byName.get(from)?.references ?? []).some(
      (reference) =>
        reference.table !== from &&
        (reference.table === to ||
          (!seen.has(reference.table) && leadsTo(reference.table, to, seen.add(reference.table)))),
    );
  const placed = new Set<string>();
  const ordered: ExportedTable[] = [];
  const waitingOn = (table: (typeof described)[number]) =>
    table.references.filter((reference) => reference.table !== table.name && !placed.has(reference.table));
  while (ordered.length < described.length) {
    const remaining = described.filter((table) => !placed.has(table.name));
    let next = remaining.find((table) => waitingOn(table).length === 0);
    let deferredColumns: string[] = [];
    if (!next) {
      // Every table left waits on another: some wait in a circle. Break it at a
      // table whose only waits are nullable references back into its own circle.
      next = remaining.find((table) =>
        waitingOn(table).every(
          (reference) =>
            leadsTo(reference.table, table.name) && reference.columns.every((column) => !column.notNull),
        ),
      );
      if (!next) throw new Error("The schema has a cycle of required references; it cannot be exported.");
      deferredColumns = waitingOn(next).flatMap((reference) => reference.columns.map(sqlName));
    }
    placed.add(next.name);
    ordered.push({
      name: next.name,
      columns: next.columns,
      primaryKey: next.primaryKey,
      identityColumns: next.identityColumns,
      deferredColumns,
    });
  }
  return ordered;
}

const columnList = (columns: string[], alias?: string) =>
  sql.join(
    columns.map((column) =>
      alias ? sql`${sql.identifier(alias)}.${sql.identifier(column)}` : sql.identifier(column),
    ),
    sql`, `,
  );

/** One page of a table's rows as JSON text, in primary-key order, after `after` (a key) when given. */
function pageOfRows(table: ExportedTable, after: unknown[] | undefined, limit: number): SQL {
  const key = columnList(table.primaryKey, "t");
  const where = after
    ? sql`where (${key}) > (${sql.join(
        after.map((value) => sql`${value}`),
        sql`, `,
      )})`
    : sql``;
  const keyFields = sql.join(
    table.primaryKey.map(
      (column, index) =>
        sql`${sql.identifier("t")}.${sql.identifier(column)} as ${sql.identifier(`k${index}`)}`,
    ),
    sql`, `,
  );
  const object = sql.join(
    table.columns.map((column) => sql`${column}::text, ${sql.identifier("t")}.${sql.identifier(column)}`),
    sql`, `,
  );
  // json_build_object keeps the schema's column order, so the same rows give the same bytes.
  return sql`select json_build_object(${object})::text as row, ${keyFields}
    from ${sql.identifier(table.name)} t ${where}
    order by ${key} limit ${limit}`;
}

/**
 * Writes the whole forum as JSON lines: a header, then for each table a line
 * with its name and row count followed by its rows, then an end line. Read
 * in one snapshot, so a forum in use gives a consistent copy.
 */
export async function exportForum(
  write: (line: string) => void | Promise<void>,
  { rowsPerStatement = DEFAULT_ROWS_PER_STATEMENT }: BackupOptions = {},
): Promise<Record<string, number>> {
  const tables = exportedTables();
  const counts: Record<string, number> = {};
  await getDb().transaction(
    async (tx) => {
      // Timestamps are written in UTC whatever the server's zone.
      await tx.execute(sql`set local time zone 'UTC'`);
      await write(
        JSON.stringify({
          format: EXPORT_FORMAT,
          version: EXPORT_VERSION,
          schema: currentSchemaTag(),
          exportedAt: new Date().toISOString(),
        }),
      );
      for (const table of tables) {
        const [counted] = await executeRows<{ rows: number }>(
          sql`select count(*)::int as rows from ${sql.identifier(table.name)}`,
          tx,
        );
        const rows = counted!.rows;
        counts[table.name] = rows;
        await write(JSON.stringify({ table: table.name, rows }));
        let after: unknown[] | undefined;
        for (;;) {
          const page = await executeRows<Record<string, unknown> & { row: string }>(
            pageOfRows(table, after, rowsPerStatement),
            tx,
          );
          for (const { row } of page) await write(row);
          if (page.length < rowsPerStatement) break;
          const last = page.at(-1)!;
          after = table.primaryKey.map((_, index) => last[`k${index}`]);
        }
      }
      await write(JSON.stringify({ end: true, tables: tables.length }));
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  return counts;
}

type LineReader = AsyncIterator<string>;

async function nextLine(reader: LineReader, expected: string): Promise<Record<string, unknown>> {
  for (;;) {
    const { value, done } = await reader.next();
    if (done)
      throw new ForumImportError(`The file ends too early: ${expected} is missing. Was it cut short?`);
    if (value.trim() === "") continue;
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // reported below with what was expected
    }
    throw new ForumImportError(
      `The file is damaged: where ${expected} should be, there is "${value.slice(0, 80)}".`,
    );
  }
}

async function insertRows(tx: Executor, table: ExportedTable, rows: Record<string, unknown>[]) {
  const inserted = table.columns.filter((column) => !table.deferredColumns.includes(column));
  await tx.execute(sql`insert into ${sql.identifier(table.name)} (${columnList(inserted)})
    select ${columnList(inserted)} from json_populate_recordset(null::${sql.identifier(table.name)}, ${JSON.stringify(rows)}::json)`);
}

async function fillDeferredColumns(
  tx: Executor,
  table: ExportedTable,
  rows: Record<string, unknown>[],
  rowsPerStatement: number,
) {
  const assignments = sql.join(
    table.deferredColumns.map((column) => sql`${sql.identifier(column)} = j.${sql.identifier(column)}`),
    sql`, `,
  );
  const matches = sql.join(
    table.primaryKey.map((column) => sql`t.${sql.identifier(column)} = j.${sql.identifier(column)}`),
    sql` and `,
  );
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const batch = rows.slice(start, start + rowsPerStatement);
    await tx.execute(sql`update ${sql.identifier(table.name)} t set ${assignments}
      from json_populate_recordset(null::${sql.identifier(table.name)}, ${JSON.stringify(batch)}::json) j
      where ${matches}`);
  }
}

async function rowsAlreadyThere(tx: Executor, tables: ExportedTable[]) {
  const occupied: string[] = [];
  for (const table of tables) {
    const [found] = await executeRows<{ present: boolean }>(
      sql`select exists (select 1 from ${sql.identifier(table.name)}) as present`,
      tx,
    );
    if (found!.present) occupied.push(table.name);
  }
  return occupied;
}

/**
 * Reads what exportForum wrote into an empty database, in one transaction:
 * a file that is damaged, cut short or from another schema leaves the
 * database as it was. Identity sequences continue after the imported ids.
 */
export async function importForum(
  lines: AsyncIterable<string> | Iterable<string>,
  { rowsPerStatement = DEFAULT_ROWS_PER_STATEMENT }: BackupOptions = {},
): Promise<Record<string, number>> {
  const tables = exportedTables();
  const reader: LineReader =
    Symbol.asyncIterator in lines
      ? lines[Symbol.asyncIterator]()
      : (async function* () {
          yield* lines;
        })();
  const header = await nextLine(reader, "the header");
  if (header.format !== EXPORT_FORMAT) {
    throw new ForumImportError("This is not a Crosswalk forum export (made by npm run forum -- export).");
  }
  if (header.version !== EXPORT_VERSION) {
    throw new ForumImportError(
      `This export is in format version ${String(header.version)}; this Crosswalk reads version ${EXPORT_VERSION}.`,
    );
  }
  const schemaTag = currentSchemaTag();
  if (header.schema !== schemaTag) {
    throw new ForumImportError(
      `This export was made at database version ${String(header.schema)}, and this Crosswalk is at ${schemaTag}. ` +
        "Import it with the Crosswalk release that made it, then upgrade that one.",
    );
  }

  const counts: Record<string, number> = {};
  await getDb().transaction(async (tx) => {
    const occupied = await rowsAlreadyThere(tx, tables);
    if (occupied.length > 0) {
      throw new ForumImportError(
        `The database is not empty (it has rows in ${occupied.join(", ")}). ` +
          "Import into a new database: a new DATA_DIR, or DATABASE_URL naming a database nothing else uses.",
      );
    }
    const deferred = new Map<ExportedTable, Record<string, unknown>[]>();
    for (const table of tables) {
      const heading = await nextLine(reader, `the heading of table ${table.name}`);
      if (heading.table !== table.name || !Number.isInteger(heading.rows) || (heading.rows as number) < 0) {
        throw new ForumImportError(
          `The file is damaged: table ${table.name} should come next, but the file has ${JSON.stringify(heading).slice(0, 80)}.`,
        );
      }
      const expected = heading.rows as number;
      let batch: Record<string, unknown>[] = [];
      const laterValues: Record<string, unknown>[] = [];
      for (let index = 0; index < expected; index++) {
        const row = await nextLine(reader, `row ${index + 1} of ${expected} of table ${table.name}`);
        if ("table" in row || "end" in row) {
          throw new ForumImportError(
            `The file is damaged: table ${table.name} should have ${expected} rows but has ${index}.`,
          );
        }
        if (table.deferredColumns.some((column) => row[column] != null)) {
          laterValues.push(
            Object.fromEntries(
              [...table.primaryKey, ...table.deferredColumns].map((column) => [column, row[column]]),
            ),
          );
        }
        batch.push(row);
        if (batch.length === rowsPerStatement) {
          await insertRows(tx, table, batch);
          batch = [];
        }
      }
      if (batch.length > 0) await insertRows(tx, table, batch);
      if (laterValues.length > 0) deferred.set(table, laterValues);
      counts[table.name] = expected;
    }
    const end = await nextLine(reader, "the end line");
    if (end.end !== true)
      throw new ForumImportError("The file is damaged: it has more than the export's tables.");
    for (const [table, rows] of deferred) await fillDeferredColumns(tx, table, rows, rowsPerStatement);
    for (const table of tables) {
      for (const column of table.identityColumns) {
        await tx.execute(
          sql`select setval(pg_get_serial_sequence(${`"${table.name}"`}, ${column}), coalesce(max(${sql.identifier(column)}), 0) + 1, false)
            from ${sql.identifier(table.name)}`,
        );
      }
    }
  });
  return counts;
}
