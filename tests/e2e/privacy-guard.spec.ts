import { logOut } from "./accounts-helpers";
import { expect, expectAccessible, test } from "./fixtures";
import {
  commentBox,
  demoMembers,
  fillPostForm,
  logInAs,
  openInlineReply,
  postComment,
  publishPost,
  replyBox,
  uniqueTitle,
} from "./writing-helpers";

// The privacy check's journeys: a warning with the passage, the draft kept,
// then "Publish anyway" holding the item for a moderator. June (the admin)
// hosts the threads, since her writing is never held; Marcus and Priya write.

const NAMING_A_CHILD = "Maya Lopez, a 3rd grader, finished every book on our list. Any read-alikes?";
const PUBLISH_ANYWAY = "Publish anyway: I have checked this does not identify a child";

test.describe("the privacy check with JavaScript", () => {
  test.use({ allowedConsoleErrors: [/status of 400/] });

  test("a post naming a child is sent back with the passage, then held when published anyway", async ({
    page,
  }) => {
    await logInAs(page, demoMembers.marcus, "/posts/new");
    const title = uniqueTitle("Read-alikes for a reader who finished everything");
    await fillPostForm(page, { title, kind: "Question", body: NAMING_A_CHILD, tags: "booklists" });
    await page.getByRole("button", { name: "Publish" }).click();

    const notice = page.getByRole("region", { name: "This may identify a student" });
    await expect(notice.getByRole("listitem").first()).toHaveText(
      "a child's name? “Maya Lopez, a 3rd grader”",
    );
    await expect(page.getByRole("alert")).toContainText("This may identify a student");
    await expect(page.getByLabel("Body", { exact: true })).toHaveValue(NAMING_A_CHILD);
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(title);
    await expectAccessible(page);

    await page.getByRole("checkbox", { name: PUBLISH_ANYWAY }).check();
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByText("Your post is awaiting moderation.")).toBeVisible();
  });

  test("an inline reply naming a child comes back under the thread, still replying", async ({ page }) => {
    await logInAs(page, demoMembers.june);
    const path = await publishPost(page, {
      title: uniqueTitle("Where do your reluctant readers start?"),
      kind: "Discussion",
      body: "Graphic novels, audiobooks, something else?",
    });
    const firstId = await postComment(page, replyBox(page), demoMembers.june, "Graphic novels, every time.");

    // Logging in again before the log-out has landed would race its redirect.
    await logOut(page);
    await logInAs(page, demoMembers.priya, path);
    const form = await openInlineReply(page, firstId);
    await commentBox(form).fill(NAMING_A_CHILD);
    await form.getByRole("button", { name: "Post comment" }).click();

    const box = replyBox(page);
    await expect(box.getByText(`Replying to ${demoMembers.june.displayName}`)).toBeVisible();
    await expect(box.getByRole("region", { name: "This may identify a student" })).toContainText(
      "“Maya Lopez, a 3rd grader”",
    );
    await expect(commentBox(box)).toHaveValue(NAMING_A_CHILD);
    await expectAccessible(page);
  });
});

test.describe("the privacy check without JavaScript", () => {
  test.use({ javaScriptEnabled: false, allowedConsoleErrors: [/status of 400/] });

  test("a comment naming a child is kept, and held once published anyway", async ({ page }) => {
    await logInAs(page, demoMembers.june);
    await page.goto("/posts/new");
    const title = uniqueTitle("Summer reading prizes that kids actually want");
    await fillPostForm(page, { title, kind: "Discussion", body: "Books, coupons, or something else?" });
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const path = new URL(page.url()).pathname;

    // Logging in again before the log-out has landed would race its redirect.
    await logOut(page);
    await logInAs(page, demoMembers.priya, path);
    const box = replyBox(page);
    await commentBox(box).fill(NAMING_A_CHILD);
    await box.getByRole("button", { name: "Post comment" }).click();

    await expect(box.getByRole("region", { name: "This may identify a student" })).toBeVisible();
    await expect(commentBox(box)).toHaveValue(NAMING_A_CHILD);
    await box.getByRole("checkbox", { name: PUBLISH_ANYWAY }).check();
    await box.getByRole("button", { name: "Post comment" }).click();
    await expect(page).toHaveURL(/#comment-\d+$/);
    await expect(page.getByText("Maya Lopez, a 3rd grader, finished every book")).toBeVisible();

    // Logging in again before the log-out has landed would race its redirect.
    await logOut(page);
    await logInAs(page, demoMembers.dev, "/mod");
    const held = page.getByRole("article", { name: `Comment on ${title}` });
    await expect(held.getByText("Held by the privacy check:")).toBeVisible();
    await expect(held).toContainText("a child's name? “Maya Lopez, a 3rd grader”");
  });
});
