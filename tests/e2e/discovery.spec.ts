import { type Browser, type Locator, type Page } from "@playwright/test";
import { expect, expectAccessible, test } from "./fixtures";
import {
  commentArticle,
  demoMembers,
  logInAs,
  postComment,
  publishPost,
  replyBox,
  uniqueTitle,
  type DemoMember,
} from "./writing-helpers";

// Finding and weighing what others wrote: search, tags, Helpful marks and
// accepted answers. Other journeys write to the same app at the same time, so
// these read demo threads no other journey touches and compare counts with
// what they were, never with the seed's numbers. Rosa Delgado marks replies
// Helpful and asks this file's one question (one post, within her 3 per 10
// minutes); Tomás Reyes and Dev Patel answer it with one comment each.

const libraryCardTitle = "Library card sign-up night at back-to-school: 212 new cards in one evening";
const districtCutTitle =
  "Our district cut two high school librarian positions. Should the public library step in?";
const teenBoardTitle = "Our teen advisory board ran the middle school visit, and it was the best one yet";
const summerLogsTitle = "Summer reading logs for K–2: keep them, change them, or drop them?";
const inServiceTitle = "Pitch a 45-minute public library session for teacher in-service days";
const booklistTemplateTitle = "A shared booklist template for curriculum units (and how we split the work)";
const classSetsTitle =
  "Can the public library supply 30 copies for a 7th-grade novel study without wrecking everyone's holds?";

/** The post summaries in the page's main list. */
function listedPosts(page: Page) {
  return page.getByRole("main").getByRole("article");
}

/** Every listed post carries `tag`, and at least `atLeast` are listed. */
async function expectEveryPostTagged(page: Page, tag: string, atLeast: number) {
  const posts = listedPosts(page);
  await expect(posts.first()).toBeVisible();
  expect(await posts.count()).toBeGreaterThanOrEqual(atLeast);
  for (const post of await posts.all()) {
    await expect(
      post.getByRole("list", { name: "Tags" }).getByRole("link", { name: tag, exact: true }),
    ).toHaveCount(1);
  }
}

/** The number a Helpful button shows ("Helpful · 3" → 3). */
async function helpfulCount(button: Locator) {
  const text = (await button.textContent()) ?? "";
  const count = /^Helpful · (\d+)$/.exec(text.trim())?.[1];
  if (count === undefined) throw new Error(`Not a Helpful button: "${text}"`);
  return Number(count);
}

/** Opens a demo thread from its tag's page, which other journeys leave alone. */
async function openThreadFromTag(page: Page, tag: string, title: string) {
  await page.goto(`/tags/${tag}`);
  await page.getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

/**
 * Presses a reply's Helpful button, takes the mark back, and checks each state
 * after a reload: the count and aria-pressed come from the database.
 */
async function markHelpfulAndUndo(page: Page, reply: Locator) {
  const button = reply.getByRole("button", { name: /^Helpful · \d+$/ });
  await expect(button).toHaveAttribute("aria-pressed", "false");
  const before = await helpfulCount(button);

  await button.click();
  await expect(button).toHaveText(`Helpful · ${before + 1}`);
  await expect(button).toHaveAttribute("aria-pressed", "true");
  await page.reload();
  await expect(button).toHaveText(`Helpful · ${before + 1}`);
  await expect(button).toHaveAttribute("aria-pressed", "true");

  await button.click();
  await expect(button).toHaveText(`Helpful · ${before}`);
  await expect(button).toHaveAttribute("aria-pressed", "false");
  await page.reload();
  await expect(button).toHaveText(`Helpful · ${before}`);
  await expect(button).toHaveAttribute("aria-pressed", "false");
}

for (const javaScriptEnabled of [true, false]) {
  // axe runs inside the page, so it scans the JavaScript pass; the HTML is the same server render.
  const scanIfPossible = javaScriptEnabled ? expectAccessible : async () => {};

  test.describe(javaScriptEnabled ? "finding posts" : "finding posts without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("a visitor searches from the header and sees the matching post with the word highlighted", async ({
      page,
    }) => {
      await page.goto("/");
      const headerSearch = page.getByRole("search");
      await headerSearch.getByRole("searchbox", { name: "Search the forum" }).fill("popcorn");
      await headerSearch.getByRole("button", { name: "Search" }).click();

      await expect(page).toHaveURL(/\/search\?q=popcorn$/);
      await expect(page.getByRole("heading", { level: 1, name: "Search" })).toBeVisible();
      // The search page has a form of its own, holding the query, instead of the header's box.
      await expect(page.getByRole("searchbox", { name: "Search", exact: true })).toHaveValue("popcorn");
      await expect(page.getByRole("searchbox", { name: "Search the forum" })).toHaveCount(0);

      const results = page.getByRole("list", { name: "Search results" });
      const result = results.getByRole("article", { name: libraryCardTitle });
      await expect(result).toHaveCount(1);
      await expect(result.locator("mark").first()).toHaveText(/^popcorn$/i);
      await expect(result).not.toContainText("In a reply:");
      await scanIfPossible(page);

      await result.getByRole("link", { name: libraryCardTitle }).click();
      await expect(page.getByRole("heading", { level: 1, name: libraryCardTitle })).toBeVisible();
    });

    test("a word found only in a reply shows the reply's excerpt, highlighted", async ({ page }) => {
      await page.goto("/search?q=levy");
      const result = page
        .getByRole("list", { name: "Search results" })
        .getByRole("article", { name: districtCutTitle });
      await expect(result).toHaveCount(1);
      await expect(result).toContainText("In a reply:");
      await expect(result.locator("mark").first()).toHaveText(/^levy$/i);
      await scanIfPossible(page);
    });

    test("a visitor follows a tag from /tags and sees only the posts with that tag", async ({ page }) => {
      await page.goto("/tags");
      await expect(page.getByRole("heading", { level: 1, name: "Tags" })).toBeVisible();
      await page.getByRole("main").getByRole("link", { name: "teens", exact: true }).click();

      await expect(page).toHaveURL(/\/tags\/teens$/);
      await expect(page.getByRole("heading", { level: 1, name: "Posts tagged teens" })).toBeVisible();
      await expect(page.getByText("Teen services, middle and high school partnerships")).toBeVisible();
      await expectEveryPostTagged(page, "teens", 2);
      await expect(page.getByRole("link", { name: teenBoardTitle, exact: true })).toBeVisible();
      await expect(page.getByRole("link", { name: districtCutTitle, exact: true })).toBeVisible();
      await expect(page.getByRole("link", { name: summerLogsTitle, exact: true })).toHaveCount(0);
      await scanIfPossible(page);

      // A post's other tag leads to that tag's page.
      await listedPosts(page)
        .filter({ has: page.getByRole("link", { name: teenBoardTitle, exact: true }) })
        .getByRole("link", { name: "class-visits", exact: true })
        .click();
      await expect(page).toHaveURL(/\/tags\/class-visits$/);
      await expect(page.getByRole("heading", { level: 1, name: "Posts tagged class-visits" })).toBeVisible();
      await expectEveryPostTagged(page, "class-visits", 2);
      await expect(page.getByRole("link", { name: districtCutTitle, exact: true })).toHaveCount(0);
    });

    test("?tag= narrows the latest discussions to one tag, and combines with a kind", async ({ page }) => {
      await page.goto("/?tag=curriculum");
      await expect(
        page.getByText("Showing all posts tagged curriculum, most recent activity first."),
      ).toBeVisible();
      await expectEveryPostTagged(page, "curriculum", 2);
      await expect(page.getByRole("link", { name: booklistTemplateTitle, exact: true })).toBeVisible();
      await expect(page.getByRole("link", { name: classSetsTitle, exact: true })).toBeVisible();
      await expect(page.getByRole("link", { name: summerLogsTitle, exact: true })).toHaveCount(0);

      // The kind filter keeps the tag.
      await page
        .getByRole("navigation", { name: "Kinds of post" })
        .getByRole("link", { name: "Questions" })
        .click();
      await expect(page).toHaveURL(/\/\?kind=question&tag=curriculum$/);
      await expectEveryPostTagged(page, "curriculum", 1);
      for (const post of await listedPosts(page).all()) await expect(post).toContainText("Question");
      await expect(page.getByRole("link", { name: classSetsTitle, exact: true })).toBeVisible();
      await expect(page.getByRole("link", { name: booklistTemplateTitle, exact: true })).toHaveCount(0);
      await scanIfPossible(page);

      await page.getByRole("link", { name: "Clear filters" }).click();
      await expect(page).toHaveURL(/\/$/);
      await expect(page.getByRole("heading", { level: 1, name: "Latest discussions" })).toBeVisible();
    });
  });
}

test.describe("marking a reply Helpful", () => {
  test("a member marks someone else's reply Helpful, the count goes up and stays, and a second press takes it back", async ({
    page,
    browser,
    baseURL,
  }) => {
    await logInAs(page, demoMembers.rosa);
    await openThreadFromTag(page, "teens", teenBoardTitle);
    const hannahsReply = page.getByRole("article", { name: "Reply by Hannah Lindqvist" });
    const button = hannahsReply.getByRole("button", { name: /^Helpful · \d+$/ });
    const before = await helpfulCount(button);

    // Marked: a visitor sees the count, without a button to press.
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
    await expect(button).toHaveText(`Helpful · ${before + 1}`);
    await expectAccessible(page);
    const threadPath = new URL(page.url()).pathname;
    const visitor = await browser.newContext({ baseURL });
    try {
      const visitorPage = await visitor.newPage();
      await visitorPage.goto(threadPath);
      const seen = visitorPage.getByRole("article", { name: "Reply by Hannah Lindqvist" });
      await expect(seen).toContainText(`${before + 1} found this helpful`);
      await expect(seen.getByRole("button", { name: /^Helpful/ })).toHaveCount(0);
    } finally {
      await visitor.close();
    }
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "false");
    await expect(button).toHaveText(`Helpful · ${before}`);

    // And again, checking each state after a reload.
    await markHelpfulAndUndo(page, hannahsReply);
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("the Helpful button is a plain form that marks and unmarks a reply", async ({ page }) => {
      await logInAs(page, demoMembers.rosa);
      await openThreadFromTag(page, "teacher-workshops", inServiceTitle);
      await markHelpfulAndUndo(page, page.getByRole("article", { name: "Reply by Marcus Bell" }));
    });
  });
});

/**
 * `member` replies to the thread at `threadPath` in a browser context of their
 * own; returns the reply's id. A member who did not ask sees no Accept answer.
 */
async function replyAs(
  browser: Browser,
  baseURL: string,
  member: DemoMember,
  threadPath: string,
  text: string,
  { isModerator = false } = {},
) {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await logInAs(page, member, threadPath);
    const id = await postComment(page, replyBox(page), member, text);
    // Nobody marks their own reply Helpful.
    await expect(commentArticle(page, id).getByRole("button", { name: /^Helpful/ })).toHaveCount(0);
    if (!isModerator) await expect(page.getByRole("button", { name: "Accept answer" })).toHaveCount(0);
    return id;
  } finally {
    await context.close();
  }
}

test("the asker accepts an answer, which is shown under the question, then changes and removes the acceptance", async ({
  page,
  browser,
  baseURL,
}) => {
  const rosa = demoMembers.rosa;
  await logInAs(page, rosa);
  const title = uniqueTitle("Who should I ask first at a school that has no librarian?");
  const threadPath = await publishPost(page, {
    title,
    kind: "Question",
    body: "The school near our branch lost its librarian last year. Whom do I contact about class visits?",
    tags: "school-outreach",
  });

  // Before anyone answers, the question is listed as unanswered.
  await page.goto("/?sort=unanswered");
  await expect(page.getByRole("link", { name: title, exact: true })).toBeVisible();

  const tomasText = "Try the literacy coach: they decide most things about reading in a building.";
  const devText = "Ask the front office who runs the library on the para's days off, then start there.";
  const tomasId = await replyAs(browser, baseURL!, demoMembers.tomas, threadPath, tomasText);
  const devId = await replyAs(browser, baseURL!, demoMembers.dev, threadPath, devText, { isModerator: true });

  await page.goto("/?sort=unanswered");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: title, exact: true })).toHaveCount(0);

  await page.goto(threadPath);
  const tomasReply = commentArticle(page, tomasId);
  const devReply = commentArticle(page, devId);
  const acceptedSection = page.getByRole("region", { name: "Accepted answer" });
  await expect(acceptedSection).toHaveCount(0);
  // The asker may mark the two replies Helpful, but not the question, which is theirs.
  await expect(page.getByRole("button", { name: /^Helpful · \d+$/ })).toHaveCount(2);

  // Accept Tomás's reply.
  await tomasReply.getByRole("button", { name: "Accept answer" }).click();
  await expect(tomasReply.getByText("Accepted answer", { exact: true })).toBeVisible();
  await expect(tomasReply.getByRole("button", { name: "Remove acceptance" })).toBeVisible();
  await expect(devReply.getByText("Accepted answer", { exact: true })).toHaveCount(0);
  await expect(devReply.getByRole("button", { name: "Accept answer" })).toBeVisible();
  await expectAcceptedUnderQuestion(page, demoMembers.tomas, tomasId, tomasText);
  await expectAccessible(page);

  // Change it to Dev's reply: one accepted answer at a time, and it persists.
  await devReply.getByRole("button", { name: "Accept answer" }).click();
  await expect(devReply.getByText("Accepted answer", { exact: true })).toBeVisible();
  await expect(tomasReply.getByText("Accepted answer", { exact: true })).toHaveCount(0);
  await expect(tomasReply.getByRole("button", { name: "Accept answer" })).toBeVisible();
  await page.reload();
  await expect(devReply.getByText("Accepted answer", { exact: true })).toBeVisible();
  await expectAcceptedUnderQuestion(page, demoMembers.dev, devId, devText);

  // A visitor sees the accepted answer too, and no buttons to change it.
  const visitor = await browser.newContext({ baseURL });
  try {
    const visitorPage = await visitor.newPage();
    await visitorPage.goto(threadPath);
    await expect(visitorPage.getByRole("region", { name: "Accepted answer" })).toContainText(devText);
    await expect(
      commentArticle(visitorPage, devId).getByText("Accepted answer", { exact: true }),
    ).toBeVisible();
    await expect(
      visitorPage.getByRole("button", { name: /^(Accept answer|Remove acceptance)$/ }),
    ).toHaveCount(0);
  } finally {
    await visitor.close();
  }

  // Remove the acceptance: no reply is marked, and the section under the question goes away.
  await devReply.getByRole("button", { name: "Remove acceptance" }).click();
  await expect(acceptedSection).toHaveCount(0);
  await expect(page.getByText("Accepted answer", { exact: true })).toHaveCount(0);
  await expect(tomasReply.getByRole("button", { name: "Accept answer" })).toBeVisible();
  await expect(devReply.getByRole("button", { name: "Accept answer" })).toBeVisible();
  await page.reload();
  await expect(acceptedSection).toHaveCount(0);
  await expect(devReply.getByRole("button", { name: "Accept answer" })).toBeVisible();
});

/**
 * The accepted reply is also shown right under the question: after the
 * question's heading and before the replies, with a link to the reply itself.
 */
async function expectAcceptedUnderQuestion(page: Page, author: DemoMember, replyId: number, text: string) {
  const section = page.getByRole("region", { name: "Accepted answer" });
  await expect(section).toHaveCount(1);
  await expect(section).toContainText(text);
  await expect(section.getByRole("link", { name: author.displayName, exact: true })).toBeVisible();
  await expect(section.getByRole("link", { name: "Go to the reply" })).toHaveAttribute(
    "href",
    `#comment-${replyId}`,
  );
  const question = page.getByRole("heading", { level: 1 });
  const replies = page.getByRole("region", { name: /^\d+ repl(y|ies)$/ });
  const [questionBox, sectionBox, repliesBox] = await Promise.all(
    [question, section, replies].map((element) => element.boundingBox()),
  );
  expect(questionBox!.y, "the accepted answer is under the question").toBeLessThan(sectionBox!.y);
  expect(sectionBox!.y, "and above the replies").toBeLessThan(repliesBox!.y);
}
