import { afterAll, beforeAll, inject } from "vitest";
import { connectFreshDatabase } from "./fresh-database";

// Each test file gets a database of its own, copied from the migrated template.
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  dropDatabase = await connectFreshDatabase(inject("databaseTemplate"));
});

afterAll(async () => {
  await dropDatabase?.();
});
