import fs from "node:fs";
import { chromium } from "@playwright/test";

/**
 * The Chromium to drive: CHROMIUM_PATH, else Debian's headless shell (for a
 * headless run), else Debian's /usr/bin/chromium, else Playwright's own
 * download. Undefined when none is installed.
 *
 * The headless shell is the old headless Chromium without the desktop
 * browser's UI layers: Playwright itself uses it for headless runs, and here
 * it runs the browser suite in about 60 % of the time the full browser takes
 * (docs/decisions/026-ci-time-budget.md). It cannot open a window, so a
 * headed run takes the full browser.
 */
export function findChromium({ headed = false } = {}): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    headed ? undefined : "/usr/bin/chromium-headless-shell",
    "/usr/bin/chromium",
    safePlaywrightChromium(),
  ];
  return candidates.find((candidate): candidate is string => Boolean(candidate && fs.existsSync(candidate)));
}

function safePlaywrightChromium() {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}
