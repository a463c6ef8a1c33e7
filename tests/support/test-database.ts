import fs from "node:fs/promises";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDatabase, connectDatabase } from "~/lib/db.server";
import { databaseUrl, uniqueDatabaseName } from "./database-template";

// Each test file gets a database of its own, copied from the migrated template.
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const template = inject("databaseTemplate");
  if (template.driver === "pglite") {
    const dump = await fs.readFile(template.dumpPath);
    connectDatabase({ driver: "pglite", loadDataDir: new Blob([dump]) });
    return;
  }
  const name = uniqueDatabaseName("crosswalk_test");
  const admin = postgres(template.serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template.templateName}"`);
  connectDatabase({ driver: "postgres", url: databaseUrl(template.serverUrl, name), poolSize: 4 });
  dropDatabase = async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
});

afterAll(async () => {
  await closeDatabase();
  await dropDatabase?.();
});
