import fs from "node:fs";
import type { Page } from "@playwright/test";
import { fillLogInForm } from "./accounts-helpers";
import { copySeededDataDir, makeDataDir, startApp, type RunningApp } from "./app-server";
import { expect, expectAccessible, test } from "./fixtures";
import { DEMO_PASSWORD, demoMembers, fillPostForm, uniqueTitle } from "./writing-helpers";

// A thread long enough for two pages takes 21 replies: it gets a server of its
// own, so no other journey sees them in its lists or notifications.
test.describe("a long thread", () => {
  let app: RunningApp;
  let dataDir: string;
  test.beforeAll(async () => {
    dataDir = makeDataDir();
    app = await startApp({ DATA_DIR: copySeededDataDir(dataDir), DATABASE_URL: "" });
  });
  test.afterAll(async () => {
    await app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Replies through the thread's own form, from the page, as the browser would send it; answers the new id. */
  async function reply(page: Page, threadPath: string, body: string) {
    const landedOn = await page.evaluate(
      async ({ threadPath, body }) => {
        const form = new URLSearchParams({ body, submissionKey: crypto.randomUUID().replaceAll("-", "") });
        const response = await fetch(threadPath, { method: "POST", body: form });
        return response.ok ? response.url : `failed with ${response.status}`;
      },
      { threadPath, body },
    );
    const id = Number(new URL(landedOn, app.url).searchParams.get("at"));
    expect(id, landedOn).toBeGreaterThan(0);
    return id;
  }

  const replyArticles = (page: Page) => page.getByRole("region", { name: /replies$/ }).locator("article");

  test("shows 20 conversations a page, with Earlier replies and Later replies, for members and visitors", async ({
    page,
    browser,
  }) => {
    // Moderators are never held or limited, so the replies publish at once.
    await page.goto(`${app.url}/login?redirectTo=/posts/new`);
    await fillLogInForm(page, demoMembers.dev.email, DEMO_PASSWORD);
    const title = uniqueTitle("Twenty-one ways into a school library");
    await fillPostForm(page, { title, kind: "Discussion", body: "Share one way each." });
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const threadPath = new URL(page.url()).pathname;
    const ids: number[] = [];
    for (let number = 1; number <= 21; number++)
      ids.push(await reply(page, threadPath, `Way number ${number}.`));

    // A member, with the app running: the first page, then the second by its link.
    await page.goto(`${app.url}${threadPath}`);
    await expect(page.getByRole("heading", { name: "21 replies" })).toBeVisible();
    await expect(page.getByText("Page 1 of 2, 20 conversations a page, oldest first.")).toBeVisible();
    await expect(replyArticles(page)).toHaveCount(20);
    await expect(page.locator(`article#comment-${ids[0]}`)).toContainText("Way number 1.");
    const pages = page.getByRole("navigation", { name: "Reply pages" });
    await expect(pages.getByRole("link", { name: "Earlier replies" })).toHaveCount(0);
    await pages.getByRole("link", { name: "Later replies" }).click();
    await expect(page).toHaveURL(new RegExp(`${threadPath}\\?page=2#replies-heading$`));
    await expect(page.getByText("Page 2 of 2, 20 conversations a page, oldest first.")).toBeVisible();
    await expect(replyArticles(page)).toHaveCount(1);
    await expect(page.locator(`article#comment-${ids[20]}`)).toContainText("Way number 21.");
    await expectAccessible(page);
    await pages.getByRole("link", { name: "Earlier replies" }).click();
    await expect(page.locator(`article#comment-${ids[0]}`)).toBeVisible();

    // A visitor reads plain HTML: the same pages through the same links, and a
    // link to a comment on the second page opens that page.
    const visitorContext = await browser.newContext();
    try {
      const visitor = await visitorContext.newPage();
      await visitor.goto(`${app.url}${threadPath}`);
      await expect(replyArticles(visitor)).toHaveCount(20);
      await visitor
        .getByRole("navigation", { name: "Reply pages" })
        .getByRole("link", { name: "Later replies" })
        .click();
      await expect(visitor.locator(`article#comment-${ids[20]}`)).toContainText("Way number 21.");
      await visitor.goto(`${app.url}${threadPath}?at=${ids[20]}#comment-${ids[20]}`);
      await expect(visitor.getByText("Page 2 of 2, 20 conversations a page, oldest first.")).toBeVisible();
      await expect(visitor.locator(`article#comment-${ids[20]}`)).toBeInViewport();
    } finally {
      await visitorContext.close();
    }
  });
});
