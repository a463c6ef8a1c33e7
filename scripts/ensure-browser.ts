// Before the browser tests: make sure a Chromium is there, installing Playwright's own when none is.
import { spawnSync } from "node:child_process";
import { findChromium } from "../tests/support/browser";

if (findChromium()) process.exit(0);

console.log(
  "No Chromium found (CHROMIUM_PATH, /usr/bin/chromium-headless-shell, /usr/bin/chromium, Playwright's own); installing Playwright's Chromium…",
);
const install = spawnSync("npx", ["playwright", "install", "chromium"], { stdio: "inherit" });
if (install.status === 0 && findChromium()) process.exit(0);

console.error(
  "The browser tests need Chromium, and none could be installed.\n" +
    "Install one (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium executable.",
);
process.exit(1);
