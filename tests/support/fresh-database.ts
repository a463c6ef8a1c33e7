import fs from "node:fs/promises";
import postgres from "postgres";
import { closeDatabase, connectDatabase } from "~/lib/db.server";
import { databaseUrl, uniqueDatabaseName, type DatabaseTemplate } from "./database-template";

/**
 * Connects the app to a new database copied from the migrated template: an
 * in-memory PGlite, or a database of its own on the server. Answers how to
 * close and drop it again.
 */
export async function connectFreshDatabase(template: DatabaseTemplate): Promise<() => Promise<void>> {
  if (template.driver === "pglite") {
    const dump = await fs.readFile(template.dumpPath);
    connectDatabase({ driver: "pglite", loadDataDir: new Blob([dump]) });
    return closeDatabase;
  }
  const name = uniqueDatabaseName("crosswalk_test");
  const admin = postgres(template.serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template.templateName}"`);
  connectDatabase({ driver: "postgres", url: databaseUrl(template.serverUrl, name), poolSize: 4 });
  return async () => {
    await closeDatabase();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
}
