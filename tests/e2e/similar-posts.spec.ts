import { type Page } from "@playwright/test";
import { expect, expectAccessible, test } from "./fixtures";
import { demoMembers, expectHydrated, logInAs } from "./writing-helpers";

// The composer offers published posts with similar titles: as the title is
// typed with JavaScript, and with the preview without it. Dev Patel only
// composes here and publishes nothing, so no other journey's limits or
// counts move. The demo thread below is published in the seed and no journey
// hides it.

const summerLogsTitle = "Summer reading logs for K–2: keep them, change them, or drop them?";
const draftTitle = "Summer reading logs for our first graders";

function similarPosts(page: Page) {
  return page.getByRole("region", { name: "Similar posts" });
}

async function openComposer(page: Page) {
  await logInAs(page, demoMembers.dev, "/posts/new");
  await expect(page.getByRole("heading", { level: 1, name: "Start a post" })).toBeVisible();
}

test.describe("similar posts with JavaScript", () => {
  test("typing a title like a demo question's offers it, and keeps what was typed", async ({ page }) => {
    await openComposer(page);
    await expect(similarPosts(page)).toHaveCount(0);

    // Typing before React hydrates the field would send no lookup.
    const titleField = page.getByLabel("Title", { exact: true });
    await expectHydrated(titleField);
    await titleField.fill(draftTitle);
    const region = similarPosts(page);
    await expect(region).toBeVisible();
    await expect(region).toContainText(
      "Someone may already have asked this. Take a look before you publish.",
    );
    const link = region.getByRole("link", { name: summerLogsTitle, exact: true });
    await expect(link).toHaveAttribute("href", /^\/posts\/\d+\/summer-reading-logs-for-k-2/);
    // `has` is queried inside each list item, so it must not start from the region again.
    const item = region
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: summerLogsTitle, exact: true }) });
    await expect(item).toContainText(/\d+ repl(y|ies)/);
    await expectAccessible(page);

    // The lookup never resets the form.
    await page.getByLabel("Body", { exact: true }).fill("We are weighing a bingo card instead.");
    await expect(titleField).toHaveValue(draftTitle);

    // A title nothing resembles clears the list.
    await titleField.fill("Quillwort marbleweed zephyrine");
    await expect(similarPosts(page)).toHaveCount(0);
    await expect(page.getByLabel("Body", { exact: true })).toHaveValue(
      "We are weighing a bingo card instead.",
    );
  });
});

test.describe("similar posts without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the preview lists posts with similar titles and keeps the draft", async ({ page }) => {
    await openComposer(page);
    await page.getByLabel("Title", { exact: true }).fill(draftTitle);
    await page.getByLabel("Body", { exact: true }).fill("We are weighing a bingo card instead.");
    await page.getByRole("button", { name: "Preview" }).click();

    await expect(page.getByRole("region", { name: "Preview" })).toBeVisible();
    const region = similarPosts(page);
    await expect(region.getByRole("link", { name: summerLogsTitle, exact: true })).toBeVisible();
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(draftTitle);
    await expect(page.getByLabel("Body", { exact: true })).toHaveValue(
      "We are weighing a bingo card instead.",
    );
  });
});
