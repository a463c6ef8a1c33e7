import fs from "node:fs";
import { chromium } from "@playwright/test";

/**
 * The Chromium to drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else
 * Playwright's own download. Undefined when none is installed.
 */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", safePlaywrightChromium()];
  return candidates.find((candidate): candidate is string => Boolean(candidate && fs.existsSync(candidate)));
}

function safePlaywrightChromium() {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}
