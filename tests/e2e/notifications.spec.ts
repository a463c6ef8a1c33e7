import { type Page } from "@playwright/test";
import { accountNav } from "./accounts-helpers";
import { expect, expectAccessible, test } from "./fixtures";
import {
  commentArticle,
  demoMembers,
  logInAs,
  openInlineReply,
  postComment,
  publishPost,
  replyBox,
  uniqueTitle,
} from "./writing-helpers";

// Maria Okafor starts one post here (her second within writing.spec.ts's
// 10-minute window, under the limit of 3) and writes one comment; Dev Patel, a
// moderator exempt from the limits, answers it and starts the thread the
// Watch journey toggles. Nobody else replies to Maria or mentions her, so what
// she is notified of comes from here; still, other journeys run at the same
// time, so counts are read from the page, never assumed.

const maria = demoMembers.maria;
const dev = demoMembers.dev;

function notificationsLink(page: Page) {
  return accountNav(page).getByRole("link", { name: /^Notifications\b/ });
}

/** The unread count the header shows (0 when it shows none). */
async function headerCount(page: Page) {
  const name = (await notificationsLink(page).getAttribute("aria-label")) ?? "";
  return Number(/^Notifications \((\d+)\)/.exec(name)?.[1] ?? 0);
}

test("a reply shows in the header's count and on /notifications, whose link leads to it, and then the count is gone", async ({
  page,
  browser,
  baseURL,
}) => {
  // Opening the page marks what it shows as read: Maria starts with nothing new.
  await logInAs(page, maria, "/notifications");
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expect(notificationsLink(page)).toHaveAccessibleName("Notifications");
  await expect(notificationsLink(page)).toHaveAttribute("aria-current", "page");

  const title = uniqueTitle("Reading buddies between the fifth grade and the branch's storytime");
  const threadPath = await publishPost(page, {
    title,
    kind: "Idea",
    body: "Fifth graders read picture books to the storytime crowd once a month.",
  });
  const commentId = await postComment(
    page,
    replyBox(page),
    maria,
    "The first session is next Tuesday; who wants the sign-up sheet?",
  );

  const devContext = await browser.newContext({ baseURL });
  let replyId = 0;
  try {
    const devPage = await devContext.newPage();
    await logInAs(devPage, dev, threadPath);
    const form = await openInlineReply(devPage, commentId);
    replyId = await postComment(devPage, form, dev, "Send it my way: our teen volunteers could help too.");
  } finally {
    await devContext.close();
  }

  // The header counts it, and says so to a screen reader.
  await page.goto("/");
  await expect(notificationsLink(page)).toHaveText(/^Notifications \([1-9]\d*\)$/);
  const unread = await headerCount(page);
  expect(unread).toBeGreaterThanOrEqual(1);
  await expect(notificationsLink(page)).toHaveAccessibleName(`Notifications (${unread}): ${unread} unread`);

  await notificationsLink(page).click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page).toHaveTitle("Notifications · Crosswalk");
  const list = page.getByRole("list", { name: "Notifications, newest first" });
  const item = list.getByRole("listitem").filter({ hasText: title });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("New");
  const link = item.getByRole("link", { name: `Dev Patel replied to your comment in “${title}”.` });
  await expect(link).toHaveAttribute("href", `${threadPath}?at=${replyId}#comment-${replyId}`);
  // Seen on opening: the header's count is gone on this very page.
  await expect(notificationsLink(page)).toHaveAccessibleName("Notifications");
  await expectAccessible(page);

  await link.click();
  await expect(page).toHaveURL(new RegExp(`${threadPath}\\?at=${replyId}#comment-${replyId}$`));
  await expect(commentArticle(page, replyId)).toBeInViewport();
  await expect(notificationsLink(page)).toHaveAccessibleName("Notifications");

  // Seen once, it is no longer new.
  await notificationsLink(page).click();
  await expect(list.getByRole("listitem").filter({ hasText: title })).not.toContainText("New");
});

test("Watch and Stop watching toggle, with JavaScript and without", async ({ page, browser, baseURL }) => {
  await logInAs(page, dev);
  const threadPath = await publishPost(page, {
    title: uniqueTitle("Which picture books survive a month of reading-buddy sessions?"),
    kind: "Discussion",
    body: "Ours fall apart by week three. Library binding, or just buy paperbacks?",
  });

  // The author watches the thread from the start.
  const status = page.locator("#watch-status");
  await expect(status).toHaveText("You are watching this thread: you get notified of new replies.");
  const stop = page.getByRole("button", { name: "Stop watching" });
  await expect(stop).toHaveAccessibleDescription(/You are watching this thread/);
  await stop.click();
  const watch = page.getByRole("button", { name: "Watch", exact: true });
  await expect(watch).toBeVisible();
  await expect(watch).toBeFocused();
  await expect(status).toHaveText("Watch to be notified of new replies.");
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByRole("button", { name: "Watch", exact: true })).toBeVisible();

  const noScript = await browser.newContext({ baseURL, javaScriptEnabled: false });
  try {
    const plain = await noScript.newPage();
    await logInAs(plain, dev, threadPath);
    await plain.getByRole("button", { name: "Watch", exact: true }).click();
    await expect(plain).toHaveURL(new RegExp(`${threadPath}#watch$`));
    await expect(plain.getByRole("button", { name: "Stop watching" })).toBeVisible();
    await expect(plain.locator("#watch-status")).toHaveText(
      "You are watching this thread: you get notified of new replies.",
    );
  } finally {
    await noScript.close();
  }
});

test("a member chooses how often notifications are e-mailed in /settings", async ({ page }) => {
  await logInAs(page, maria, "/settings");
  const section = page.getByRole("region", { name: "Notification e-mail" });
  await expect(section.getByLabel("Replies to you", { exact: true })).toHaveValue("immediately");
  await expectAccessible(page);

  const helpful = section.getByLabel("Helpful marks", { exact: true });
  const next = (await helpful.inputValue()) === "daily" ? "Weekly digest" : "Daily digest";
  await helpful.selectOption({ label: next });
  await section.getByRole("button", { name: "Save notification settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Notification settings saved." })).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Notification e-mail" }).getByLabel("Helpful marks", { exact: true }),
  ).toHaveValue(next === "Daily digest" ? "daily" : "weekly");
  await expectAccessible(page);
});
