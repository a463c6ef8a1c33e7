import { expectAccessible, expect, test } from "./fixtures";

const footInTheDoor = "How do I get a foot in the door at a school that never answers my emails?";

for (const javaScriptEnabled of [true, false]) {
  // axe runs inside the page, so it scans the JavaScript pass; the HTML is the same server render.
  const scanIfPossible = javaScriptEnabled ? expectAccessible : async () => {};

  test.describe(javaScriptEnabled ? "reading the forum" : "reading the forum without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("a visitor goes from the latest discussions to a thread with nested replies", async ({ page }) => {
      await page.goto("/");
      await expect(page.getByRole("heading", { level: 1, name: "Latest discussions" })).toBeVisible();
      // The demo forum's posts (other journeys may have added more on top).
      await expect(page.getByRole("link", { name: footInTheDoor })).toBeVisible();
      expect(await page.getByRole("article").count()).toBeGreaterThanOrEqual(12);
      await scanIfPossible(page);

      await page.getByRole("link", { name: footInTheDoor }).click();
      await expect(page).toHaveURL(/\/posts\/\d+\/how-do-i-get-a-foot-in-the-door/);
      await expect(page.getByRole("heading", { level: 1, name: footInTheDoor })).toBeVisible();
      await scanIfPossible(page);

      // Replies nest: Rosa answers Hannah inside Hannah's comment's list.
      const hannahsAdvice = page.getByRole("article", { name: "Reply by Hannah Lindqvist" }).first();
      const nestedReply = page.locator("li:has(> article[id^='comment-']) > ol > li > article").first();
      await expect(hannahsAdvice).toBeVisible();
      await expect(nestedReply).toHaveAttribute("id", /^comment-\d+$/);

      // Past depth 5, replies line up at depth 5 and say whom they answer.
      await expect(page.getByText("in reply to Marcus Bell")).toBeVisible();
      await expect(page.getByText("in reply to Rosa Delgado")).toBeVisible();
      const deepestLists = page.locator(
        ".comment-list .comment-list .comment-list .comment-list .comment-list",
      );
      await expect(deepestLists.locator(".comment-list")).toHaveCount(0);

      // The comment awaiting moderation is not shown to a visitor.
      await expect(page.getByRole("article", { name: "Reply by Priya Nair" })).toHaveCount(0);

      // Every comment can be linked to.
      const inReplyToLink = page
        .getByRole("link", { name: "Rosa Delgado" })
        .filter({ has: page.locator("xpath=self::a[starts-with(@href, '#comment-')]") });
      await expect(inReplyToLink.first()).toBeVisible();

      await page.getByRole("link", { name: "Hannah Lindqvist" }).first().click();
      await expect(page).toHaveURL(/\/u\/hannah-lindqvist$/);
      await expect(page.getByRole("heading", { level: 1, name: "Hannah Lindqvist" })).toBeVisible();
      await expect(page.getByText("@example.org")).toHaveCount(0);
      await scanIfPossible(page);
    });

    test("a visitor filters the latest discussions by kind", async ({ page }) => {
      await page.goto("/");
      await page
        .getByRole("navigation", { name: "Kinds of post" })
        .getByRole("link", { name: "Questions" })
        .click();
      await expect(page).toHaveURL(/\?kind=question$/);
      await expect(page.getByRole("heading", { level: 1, name: "Questions" })).toBeVisible();
      await expect(page.getByRole("article").first()).toContainText("Question");
      await scanIfPossible(page);
    });
  });
}

test.describe("pages that do not exist", () => {
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test("an unknown address shows a 404 page with a way back", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("link", { name: "Back to the latest discussions" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Latest discussions" })).toBeVisible();
  });

  test("an unknown thread shows a 404 page", async ({ page }) => {
    const response = await page.goto("/posts/987654/some-slug");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe("bad addresses", () => {
  test.use({ allowedConsoleErrors: [/status of 400/] });

  test("an unknown kind shows a 400 page saying what is wrong", async ({ page }) => {
    const response = await page.goto("/?kind=rumour");
    expect(response?.status()).toBe(400);
    await expect(page.getByText('There is no kind of post called "rumour"')).toBeVisible();
    await expectAccessible(page);
  });
});
