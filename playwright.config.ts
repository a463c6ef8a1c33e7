import { defineConfig } from "@playwright/test";
import { findChromium } from "./tests/support/browser";

// Chosen once in the runner and inherited by the workers, which do not see
// the command line: a headed or debugging run needs the full browser.
const headed = process.argv.some((argument) => ["--headed", "--debug", "--ui"].includes(argument));
process.env.CROSSWALK_E2E_CHROMIUM ??= findChromium({ headed }) ?? "";

// The built app runs in production mode on a free port with a temporary
// DATA_DIR (or a fresh database on the server when DATABASE_URL is set);
// see tests/e2e/global-setup.ts.
export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  forbidOnly: Boolean(process.env.CI),
  workers: 2,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    browserName: "chromium",
    // A trace costs about a tenth of the suite's time, and a CI run's clone,
    // traces included, is gone once it ends: record them only on a developer's machine.
    trace: process.env.CI ? "off" : "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CROSSWALK_E2E_CHROMIUM || undefined,
      // Keep Chromium from calling home: this machine's network is closed.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
