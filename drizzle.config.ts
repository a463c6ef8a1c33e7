import { defineConfig } from "drizzle-kit";

// Migrations are generated here and applied by the app at start-up
// (migrateDatabase in app/lib/db.server.ts), so both drivers run the same SQL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./app/db/schema.ts",
  out: "./drizzle",
  casing: "snake_case",
  strict: true,
  verbose: true,
});
