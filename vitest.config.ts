import os from "node:os";
import { defineConfig } from "vitest/config";

const alias = { "~": new URL("./app", import.meta.url).pathname };

// Unit tests are pure; integration tests each get a fresh database copied from
// a migrated template (tests/support/global-setup.ts).
export default defineConfig({
  resolve: { alias },
  test: {
    pool: "forks",
    // Vitest's default, one worker fewer than the cores, is a single worker on
    // a 2-core machine, which leaves a core idle while a test file waits on its
    // database: two workers take the suite from about 350 s to 280 s here.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    env: {
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      SESSION_SECRET: "test-secret-that-is-at-least-32-characters-long",
    },
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
          setupFiles: ["tests/support/fail-on-console-error.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          globalSetup: ["tests/support/global-setup.ts"],
          setupFiles: ["tests/support/fail-on-console-error.ts", "tests/support/test-database.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
