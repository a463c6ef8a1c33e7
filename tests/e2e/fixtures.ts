import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

type Fixtures = {
  /** Console messages a test expects, such as the browser's own line for a 404 response. */
  allowedConsoleErrors: RegExp[];
};

/**
 * Every journey runs against the app started by global-setup.ts, and fails if
 * the page logs an error it did not expect (hydration mismatches included).
 */
export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],
  baseURL: async ({}, use) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error("E2E_BASE_URL is not set: run through playwright.config.ts.");
    await use(url);
  },
  page: async ({ page, allowedConsoleErrors }, use) => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      if (!allowedConsoleErrors.some((pattern) => pattern.test(text))) errors.push(text);
    });
    page.on("pageerror", (error) => errors.push(error.message));
    // E2E_SCRIPT_DELAY_MS holds each script back by up to that long, so a
    // journey also runs with clicks landing before the page has hydrated, as
    // they do on a slow Chromebook (docs/architecture.md, Tests).
    const scriptDelay = Number(process.env.E2E_SCRIPT_DELAY_MS ?? 0);
    if (scriptDelay > 0) {
      await page.route("**/assets/*.js", async (route) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * scriptDelay));
        await route.continue();
      });
    }
    await use(page);
    expect(errors, "errors logged in the browser console").toEqual([]);
  },
});

export { expect };

/** Scans the page with axe-core for WCAG 2.2 A/AA problems; any violation fails the test. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const summary = results.violations.map(
    (violation) =>
      `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`,
  );
  expect(summary, "accessibility violations").toEqual([]);
}
