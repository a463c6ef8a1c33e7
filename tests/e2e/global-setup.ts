import fs from "node:fs";
import postgres from "postgres";
import { databaseUrl, uniqueDatabaseName } from "../support/database-template";
import { copySeededDataDir, makeDataDir, makeSeededDataDirTemplate, startApp } from "./app-server";

/**
 * One app with the demo forum for the browser journeys: on a temporary
 * embedded database, or on a fresh database on the server when DATABASE_URL is set.
 */
export default async function globalSetup() {
  const seededTemplate = makeSeededDataDirTemplate();
  process.env.E2E_SEEDED_DATA_DIR = seededTemplate;
  const dataDir = makeDataDir();
  const serverUrl = process.env.DATABASE_URL;
  let dropDatabase: (() => Promise<void>) | undefined;
  let appDatabaseUrl: string | undefined;
  if (serverUrl) {
    const name = uniqueDatabaseName("crosswalk_e2e");
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    appDatabaseUrl = databaseUrl(serverUrl, name);
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    };
  }
  if (!serverUrl) copySeededDataDir(dataDir);
  const app = await startApp({ DATA_DIR: dataDir, DATABASE_URL: appDatabaseUrl ?? "" });
  process.env.E2E_BASE_URL = app.url;
  process.env.E2E_DATA_DIR = dataDir;

  return async () => {
    await app.stop();
    await dropDatabase?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(seededTemplate, { recursive: true, force: true });
  };
}
