import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { closeDatabase, connectDatabase, dumpEmbeddedDatabase, migrateDatabase } from "~/lib/db.server";
import { databaseUrl, uniqueDatabaseName, type DatabaseTemplate } from "./database-template";

/**
 * Migrates once into a template: a database on the server when DATABASE_URL
 * is set, otherwise a PGlite data dump. Each test file copies it
 * (tests/support/test-database.ts), which is far faster than migrating again.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await admin`select 1`;
    } catch (error) {
      throw new Error(
        `DATABASE_URL is set but the PostgreSQL server does not answer: ${(error as Error).message}`,
      );
    }
    const templateName = uniqueDatabaseName("crosswalk_test_template");
    await admin.unsafe(`create database "${templateName}"`);
    connectDatabase({ driver: "postgres", url: databaseUrl(serverUrl, templateName), poolSize: 1 });
    await migrateDatabase();
    await closeDatabase();
    const template: DatabaseTemplate = { driver: "postgres", serverUrl, templateName };
    project.provide("databaseTemplate", template);
    return async () => {
      await admin.unsafe(`drop database if exists "${templateName}" with (force)`);
      await admin.end();
    };
  }

  connectDatabase({ driver: "pglite" });
  await migrateDatabase();
  const dump = await dumpEmbeddedDatabase();
  await closeDatabase();
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), "crosswalk-test-"));
  const dumpPath = path.join(directory, "template.tar");
  await fs.writeFile(dumpPath, Buffer.from(await dump.arrayBuffer()));
  project.provide("databaseTemplate", { driver: "pglite", dumpPath });
  return async () => {
    await fs.rm(directory, { recursive: true, force: true });
  };
}
