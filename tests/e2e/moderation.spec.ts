import crypto from "node:crypto";
import { type Browser, type Page } from "@playwright/test";
import { accountNav, logOut } from "./accounts-helpers";
import { expect, expectAccessible, test } from "./fixtures";
import { demoMembers, expectHydrated, logInAs, postComment, replyBox } from "./writing-helpers";

// Priya Nair, the demo newcomer, has no approved contributions, so what she
// writes is held; these journeys are the only ones that write as her, and
// approve at most one of her comments (two would make her trusted). Dev Patel
// moderates and June Whitaker is the admin. Other journeys run at the same
// time against the same app: every selector here is scoped to this run's text.

const priya = demoMembers.priya;
const dev = demoMembers.dev;
const june = demoMembers.june;

/** A demo thread no other journey writes to, and the most recently active one. */
const workshopsTitle = "Teacher workshops: after school, PD day, or a short video? What gets real results?";

/** Opens a thread from the latest discussions, following "Next page" if others pushed it down. */
async function openThread(page: Page, title: string) {
  await page.goto("/");
  for (;;) {
    const link = page.getByRole("link", { name: title, exact: true });
    if ((await link.count()) > 0) {
      await link.click();
      break;
    }
    await page.getByRole("link", { name: "Next page" }).click();
  }
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname;
}

function uniqueText(text: string) {
  return `${text} (${crypto.randomBytes(3).toString("hex")})`;
}

/** A visitor's view of a thread, in a browser context of its own. */
async function visitorSees(browser: Browser, baseURL: string, threadPath: string, text: string) {
  const context = await browser.newContext({ baseURL });
  try {
    const visitor = await context.newPage();
    await visitor.goto(threadPath);
    await expect(visitor.getByRole("heading", { level: 1, name: workshopsTitle })).toBeVisible();
    return await visitor
      .getByRole("article", { name: `Reply by ${priya.displayName}` })
      .filter({ hasText: text })
      .count();
  } finally {
    await context.close();
  }
}

/** Priya comments on the workshops thread; she sees her comment marked as awaiting moderation. */
async function heldComment(page: Page, text: string) {
  await logInAs(page, priya);
  const threadPath = await openThread(page, workshopsTitle);
  const id = await postComment(page, replyBox(page), priya, text);
  await expect(page.locator(`article#comment-${id}`)).toContainText("Your comment is awaiting moderation.");
  await logOut(page);
  return { id, threadPath };
}

/** The queue's item for this run's comment. */
function queueItem(page: Page, text: string) {
  return page.getByRole("article", { name: `Comment on ${workshopsTitle}` }).filter({ hasText: text });
}

test("a newcomer's held comment reaches visitors once a moderator approves it by keyboard", async ({
  page,
  browser,
  baseURL,
}) => {
  const text = uniqueText("We tried all three too: the PD-day slot won, but only with a follow-up email.");
  const { threadPath } = await heldComment(page, text);
  expect(await visitorSees(browser, baseURL!, threadPath, text)).toBe(0);

  // The moderator finds it through the header's queue link.
  await logInAs(page, dev);
  const queueLink = accountNav(page).getByRole("link", {
    name: /^Queue \(\d+\): moderation queue, \d+ waiting$/,
  });
  await expect(queueLink).toHaveText(/^Queue \(\d+\)$/);
  await queueLink.click();
  await expect(page).toHaveURL(/\/mod$/);
  await expect(page.getByRole("heading", { level: 1, name: "Moderation queue" })).toBeVisible();
  await expect(page.getByText(/^\d+ items? waiting/)).toBeVisible();

  const item = queueItem(page, text);
  await expect(item).toHaveCount(1);
  await expect(item.getByRole("link", { name: priya.displayName })).toHaveAttribute("href", "/u/priya-nair");
  await expect(item).toContainText("School library");
  await expect(item).toContainText(/0 approved, \d+ rejected, member since/);
  await expect(item.getByRole("link", { name: workshopsTitle })).toHaveAttribute("href", threadPath);
  await expectAccessible(page);

  // Keyboard only: from the item's Reason field, Tab reaches Approve, and Enter presses it.
  const approve = item.getByRole("button", { name: "Approve" });
  await expectHydrated(approve);
  await item.getByLabel("Reason").focus();
  await page.keyboard.press("Tab");
  await expect(approve).toBeFocused();
  await page.keyboard.press("Enter");

  const outcome = page.getByRole("status").filter({ hasText: "Approved." });
  await expect(outcome).toBeVisible();
  await expect(item).toHaveCount(0);
  // The handled item left the page; focus went to the outcome rather than being dropped.
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ""), {
      message: "focus is on the outcome",
    })
    .toContain("Approved.");

  expect(await visitorSees(browser, baseURL!, threadPath, text)).toBe(1);
  await expectAccessible(page);

  // The log shows the approval, newest first, and filters by action.
  await page.getByRole("link", { name: "Moderation log" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Moderation log" })).toBeVisible();
  const table = page.getByRole("table", { name: "Log entries, newest first" });
  const approval = table
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: priya.displayName }) })
    .filter({ hasText: "Approved" })
    .first();
  await expect(approval.getByRole("link", { name: dev.displayName })).toBeVisible();
  await expect(approval.getByRole("link", { name: /^comment #\d+$/ })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Action").selectOption({ label: "Approved" });
  await page.getByLabel("Member").fill("priya-nair");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/[?&]action=approve(&|$)/);
  const filtered = page.getByRole("table", { name: /matching the filters/ });
  const rows = filtered.getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) await expect(row.getByRole("cell").nth(2)).toHaveText("Approved");
  await expectAccessible(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false, allowedConsoleErrors: [/status of 400/] });

  test("a rejection without a reason comes back with the message beside the field, then goes through with one", async ({
    page,
  }) => {
    const text = uniqueText("Here is my workshop slide deck, free to download.");
    await heldComment(page, text);

    await logInAs(page, dev, "/mod");
    const item = queueItem(page, text);
    await expect(item).toHaveCount(1);
    await item.getByRole("button", { name: "Reject" }).click();

    const refused = queueItem(page, text);
    const reason = refused.getByLabel("Reason");
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(reason).toHaveAccessibleDescription(/Give the author a reason\./);

    await reason.fill("Please share slides as a link to your library's site, not an attachment.");
    await refused.getByRole("button", { name: "Reject" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Rejected." })).toBeVisible();
    await expect(queueItem(page, text)).toHaveCount(0);
  });
});

test("the admin's site settings show the moderation policy", async ({ page }) => {
  await logInAs(page, june, "/settings");
  await page.getByRole("link", { name: "Site settings" }).click();
  await expect(page).toHaveURL(/\/admin\/settings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Site settings" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Moderation policy" })).toBeVisible();
  await expect(page.getByLabel("Approved contributions before a member is trusted")).toHaveValue(/^\d+$/);
  await expect(page.getByLabel("Links that hold an item")).toHaveValue(/^\d+$/);
  await expect(page.getByLabel("Blocked words")).toBeVisible();
  await expect(page.getByLabel("Hold every post and comment for review")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save policy" })).toBeVisible();
  await expectAccessible(page);
});

test("a moderator finds a member on /mod/users, with the Suspend, Ban and Restore controls", async ({
  page,
}) => {
  await logInAs(page, demoMembers.dev, "/mod/users");
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await page.getByLabel("Search members").fill("tomas");
  await page.getByRole("button", { name: "Find members" }).click();
  await expect(page.getByRole("link", { name: "Tomás Reyes" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Suspend" }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Ban" }).first()).toBeVisible();
  await expectAccessible(page);
});
