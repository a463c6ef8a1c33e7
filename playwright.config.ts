import { defineConfig } from "@playwright/test";
import { findChromium } from "./tests/support/browser";

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
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: findChromium(),
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
