import { type Page } from "@playwright/test";
import { accountNav, fillLogInForm } from "./accounts-helpers";
import { expect, expectAccessible, test } from "./fixtures";
import {
  commentArticle,
  commentBox,
  commentItem,
  commentListAtLevel,
  contactSheetTitle,
  DEMO_PASSWORD,
  demoMembers,
  fillPostForm,
  inlineReplyForm,
  logInAs,
  nestedReplies,
  openInlineReply,
  postComment,
  publishPost,
  replyBox,
  replyLink,
  uniqueTitle,
  type NewPost,
} from "./writing-helpers";

// Every journey writes as a demo member of its own, within the limits for
// the whole file: Maria, Hannah and Marcus publish one post each and at most
// three comments; Tomás one comment; Dev Patel (a moderator) and June Whitaker
// (the admin) are exempt. All of them are trusted, so nothing they write is
// held for moderation (Priya, the demo newcomer, is left to moderation.spec.ts).
// Rosa only opens and closes reply forms.

const markdownBody = [
  "We tried a **summer booklist swap** between the branch and two schools.",
  "",
  "- Picture books for the K–2 classes",
  "- Graphic novels for the middle school",
  "",
  "The template is on [our booklists page](https://example.org/booklists).",
].join("\n");

function booklistPost(): NewPost {
  return {
    title: uniqueTitle("Swapping summer booklists between branch and school"),
    kind: "Idea",
    body: markdownBody,
    tags: "Summer Reading, booklists",
  };
}

/** The composer still holds what was typed. */
async function expectComposerKeeps(page: Page, post: NewPost) {
  await expect(page.getByLabel("Title", { exact: true })).toHaveValue(post.title);
  await expect(page.getByLabel("Type", { exact: true }).locator("option:checked")).toHaveText(post.kind);
  await expect(page.getByLabel("Body", { exact: true })).toHaveValue(post.body);
  await expect(page.getByLabel("Tags", { exact: true })).toHaveValue(post.tags ?? "");
}

/** The published thread shows the post as written: title, markdown rendered, tags normalised. */
async function expectPublishedBooklistPost(page: Page, post: NewPost) {
  await expect(page).toHaveURL(
    /\/posts\/\d+\/swapping-summer-booklists-between-branch-and-school-[0-9a-f]{6}$/,
  );
  await expect(page.getByRole("heading", { level: 1, name: post.title })).toBeVisible();
  const body = page.locator(".thread > .prose");
  await expect(body.locator("strong")).toHaveText("summer booklist swap");
  await expect(body.getByRole("listitem")).toHaveText([
    "Picture books for the K–2 classes",
    "Graphic novels for the middle school",
  ]);
  await expect(body.getByRole("link", { name: "our booklists page" })).toHaveAttribute(
    "href",
    "https://example.org/booklists",
  );
  await expect(body).not.toContainText("**");
  // Tags are listed by name.
  await expect(page.getByRole("list", { name: "Tags" }).getByRole("listitem")).toHaveText([
    "booklists",
    "summer-reading",
  ]);
}

test.describe("writing with JavaScript", () => {
  test("a member writes a markdown post, previews it, publishes it, and replies three levels deep", async ({
    page,
  }) => {
    const maria = demoMembers.maria;
    await logInAs(page, maria);
    await accountNav(page).getByRole("link", { name: "Start a post" }).click();
    await expect(page).toHaveURL(/\/posts\/new$/);
    await expect(page.getByRole("heading", { level: 1, name: "Start a post" })).toBeVisible();
    await expectAccessible(page);

    const post = booklistPost();
    await fillPostForm(page, post);
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByRole("region", { name: "Preview" });
    await expect(preview.getByRole("heading", { level: 2, name: "Preview" })).toBeVisible();
    await expect(preview.locator("strong")).toHaveText("summer booklist swap");
    await expect(preview.getByRole("listitem")).toHaveCount(2);
    await expect(page).toHaveURL(/\/posts\/new$/);
    await expectComposerKeeps(page, post);

    await page.getByRole("button", { name: "Publish" }).click();
    await expectPublishedBooklistPost(page, post);

    // A comment on the post: the page lands on it and focus moves there.
    const firstText = "We did this too: the graphic novel list was the most borrowed.";
    const firstId = await postComment(page, replyBox(page), maria, firstText);
    await expect(commentArticle(page, firstId)).toBeFocused();
    await expect(commentBox(replyBox(page))).toHaveValue("");

    // Reply opens a form right under the comment, with focus in its box.
    const firstReplyForm = await openInlineReply(page, firstId);
    await expect(firstReplyForm).toContainText(`Replying to ${maria.displayName}`);
    await expect(page).not.toHaveURL(/replyTo=/);
    await expectAccessible(page);

    const replyText = "Which grades borrowed the graphic novels most?";
    const replyId = await postComment(page, firstReplyForm, maria, replyText);
    await expect(commentArticle(page, replyId)).toBeFocused();
    await expect(inlineReplyForm(page, firstId)).toHaveCount(0);
    await expect(nestedReplies(page, firstId)).toHaveCount(1);
    await expect(nestedReplies(page, firstId)).toHaveAttribute("id", `comment-${replyId}`);

    // And a reply to the reply nests one level deeper.
    const secondReplyForm = await openInlineReply(page, replyId);
    const deeperText = "Mostly grades six and seven, the eighth graders went for manga.";
    const deeperId = await postComment(page, secondReplyForm, maria, deeperText);
    await expect(commentArticle(page, deeperId)).toBeFocused();
    await expect(nestedReplies(page, replyId)).toHaveAttribute("id", `comment-${deeperId}`);
    await expect(
      commentItem(page, firstId).locator(`> ol > li > ol > li > article#comment-${deeperId}`),
    ).toHaveCount(1);
    await expect(page.getByRole("heading", { level: 2, name: "3 replies" })).toBeVisible();
  });

  test("Escape closes the inline reply form and returns focus to the Reply link", async ({ page }) => {
    await logInAs(page, demoMembers.rosa);
    await page.getByRole("link", { name: contactSheetTitle }).click();
    await expect(page.getByRole("heading", { level: 1, name: contactSheetTitle })).toBeVisible();
    const hannahsComment = page.getByRole("article", { name: "Reply by Hannah Lindqvist" });
    const id = Number((await hannahsComment.getAttribute("id"))?.replace(/^comment-/, ""));
    const threadUrl = page.url();

    const form = await openInlineReply(page, id);
    await page.keyboard.type("Half a thought");
    await page.keyboard.press("Escape");
    await expect(form).toHaveCount(0);
    await expect(replyLink(page, id)).toBeFocused();
    expect(page.url()).toBe(threadUrl);

    // Enter on the focused link opens it again; Cancel closes it the same way.
    await page.keyboard.press("Enter");
    await expect(commentBox(form)).toBeFocused();
    await form.getByRole("button", { name: "Cancel" }).click();
    await expect(form).toHaveCount(0);
    await expect(replyLink(page, id)).toBeFocused();
  });

  test("editing a comment keeps its history, and deleting one keeps the replies to it", async ({
    page,
    browser,
    baseURL,
  }) => {
    const june = demoMembers.june;
    const tomas = demoMembers.tomas;
    await logInAs(page, june);
    const threadPath = await publishPost(page, {
      title: uniqueTitle("Who has run a family literacy night with a school?"),
      kind: "Question",
      body: "We are planning our first one in March and would love to hear what worked.",
      tags: "family-literacy",
    });

    // Edit: the thread shows the new text and an "edited" link to the history.
    const originalText = "Ours is on a Thursday, with pizza from the PTA.";
    const editedText = "Ours is on a Tuesday, with pizza from the PTA and a book for every family.";
    const editedId = await postComment(page, replyBox(page), june, originalText);
    await commentArticle(page, editedId).getByRole("link", { name: "Edit", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/comments/${editedId}/edit$`));
    await expect(page.getByRole("heading", { level: 1, name: "Edit comment" })).toBeVisible();
    const editBox = commentBox(page);
    await expect(editBox).toHaveValue(originalText);
    await expectAccessible(page);
    await editBox.fill(editedText);
    await page.getByRole("button", { name: "Save changes" }).click();

    await expect(page).toHaveURL(new RegExp(`${threadPath}\\?at=${editedId}#comment-${editedId}$`));
    const edited = commentArticle(page, editedId);
    await expect(edited).toContainText(editedText);
    await expect(edited).not.toContainText(originalText);
    await edited.getByRole("link", { name: "edited", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/comments/${editedId}/revisions$`));
    await expect(page.getByRole("heading", { level: 1, name: "History of a comment" })).toBeVisible();
    await expect(page.locator("pre")).toHaveText([originalText]);
    await expectAccessible(page);

    // Delete: another member has replied, so the comment leaves a placeholder.
    await page.goto(threadPath);
    const doomedText = "Actually, scratch that, we moved it to the spring.";
    const doomedId = await postComment(page, replyBox(page), june, doomedText);

    const tomasContext = await browser.newContext({ baseURL });
    const replyText = "Spring worked better for us as well: no snow days.";
    let tomasReplyId = 0;
    try {
      const tomasPage = await tomasContext.newPage();
      await logInAs(tomasPage, tomas, threadPath);
      const form = await openInlineReply(tomasPage, doomedId);
      tomasReplyId = await postComment(tomasPage, form, tomas, replyText);
    } finally {
      await tomasContext.close();
    }

    await page.reload();
    await commentArticle(page, doomedId).getByRole("link", { name: "Edit", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/comments/${doomedId}/edit$`));
    await page.getByRole("button", { name: "Delete comment" }).click();

    await expect(page).toHaveURL(new RegExp(`${threadPath}\\?at=${doomedId}#replies-heading$`));
    const placeholder = commentArticle(page, doomedId);
    await expect(placeholder).toHaveAccessibleName("Deleted reply");
    await expect(placeholder).toHaveText("[deleted]");
    await expect(page.getByText(doomedText)).toHaveCount(0);
    await expect(nestedReplies(page, doomedId)).toHaveAttribute("id", `comment-${tomasReplyId}`);
    const tomasReply = commentArticle(page, tomasReplyId);
    await expect(tomasReply).toHaveAccessibleName(`Reply by ${tomas.displayName}`);
    await expect(tomasReply).toContainText(replyText);
    // The edited comment is untouched.
    await expect(commentArticle(page, editedId)).toContainText(editedText);
  });

  test("a thread eight replies deep nests five levels, and deeper replies say whom they answer", async ({
    page,
  }) => {
    const dev = demoMembers.dev;
    await logInAs(page, dev);
    const threadPath = await publishPost(page, {
      title: uniqueTitle("Long-running thread: author visits across the district"),
      kind: "Discussion",
      body: "A place to keep notes as we plan the author visits, one reply per step.",
    });

    // The chain: a comment on the post, then each step answers the one before.
    const ids: number[] = [];
    for (let depth = 1; depth <= 8; depth++) {
      const parent = ids.at(-1);
      if (parent !== undefined) {
        await page.goto(`${threadPath}?replyTo=${parent}#reply`);
        await expect(replyBox(page)).toContainText(`Replying to ${dev.displayName}`);
      }
      ids.push(await postComment(page, replyBox(page), dev, `Step ${depth} of the author visit plan.`));
    }

    for (let level = 1; level <= 5; level++) {
      await expect(commentListAtLevel(page, level)).toHaveCount(1);
    }
    await expect(commentListAtLevel(page, 6)).toHaveCount(0);
    // Levels 1–4 hold one comment each; the fifth holds steps 5 to 8, in order.
    const fifthLevel = commentListAtLevel(page, 5).locator("> li > article");
    await expect(fifthLevel).toHaveCount(4);
    for (const [index, id] of ids.slice(4).entries()) {
      await expect(fifthLevel.nth(index)).toHaveAttribute("id", `comment-${id}`);
    }
    await expect(fifthLevel.nth(0)).not.toContainText("in reply to");
    for (const [index, id] of ids.slice(5).entries()) {
      const article = commentArticle(page, id);
      await expect(article).toContainText(`in reply to ${dev.displayName}`);
      await expect(article.getByRole("link", { name: dev.displayName, exact: true }).last()).toHaveAttribute(
        "href",
        `#comment-${ids[index + 4]}`,
      );
    }
    await expect(page.getByText(`in reply to ${dev.displayName}`)).toHaveCount(3);
    await expectAccessible(page);
  });

  test("a visitor is asked to log in to reply, and the Reply link leads there", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: contactSheetTitle }).click();
    await expect(page.getByRole("heading", { level: 1, name: contactSheetTitle })).toBeVisible();

    const box = replyBox(page);
    await expect(box.getByRole("heading", { level: 2, name: "Leave a reply" })).toBeVisible();
    await expect(box.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
    await expect(commentBox(page)).toHaveCount(0);
    await expect(box.getByRole("button", { name: "Post comment" })).toHaveCount(0);

    const tomasComment = page.getByRole("article", { name: "Reply by Tomás Reyes" });
    const id = Number((await tomasComment.getAttribute("id"))?.replace(/^comment-/, ""));
    await replyLink(page, id).click();
    await expect(page).toHaveURL(new RegExp(`\\?replyTo=${id}#reply$`));
    await expect(box).toBeInViewport();
    await expect(commentBox(page)).toHaveCount(0);

    // Logging in from there comes back to the reply form, answering that comment.
    await box.getByRole("link", { name: "Log in", exact: true }).click();
    await expect(page).toHaveURL(/\/login\?redirectTo=/);
    await fillLogInForm(page, demoMembers.rosa.email, DEMO_PASSWORD);
    await expect(page).toHaveURL(new RegExp(`\\?replyTo=${id}#reply$`));
    await expect(box).toContainText("Replying to Tomás Reyes");
    await expect(commentBox(box)).toBeVisible();
  });
});

test.describe("editing and deleting a post", () => {
  // The deleted post's address answers 404, which Chromium logs.
  test.use({ allowedConsoleErrors: [/status of 404/] });

  test("a member edits their post, its history keeps the earlier version, and they delete it while nobody has replied", async ({
    page,
  }) => {
    await logInAs(page, demoMembers.marcus);
    const original: NewPost = {
      title: uniqueTitle("Graphic novel club at the middle school"),
      kind: "Success story",
      body: "Twelve students came to the first meeting.",
      tags: "graphic-novels",
    };
    const threadPath = await publishPost(page, original);
    const postId = threadPath.split("/")[2];
    await expect(page.locator(".byline").getByRole("link", { name: "edited" })).toHaveCount(0);

    await page.getByRole("link", { name: "Edit post", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/posts/${postId}/edit$`));
    await expect(page.getByRole("heading", { level: 1, name: "Edit post" })).toBeVisible();
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(original.title);
    await expect(page.getByLabel("Type", { exact: true }).locator("option:checked")).toHaveText(
      original.kind,
    );
    await expect(page.getByLabel("Body", { exact: true })).toHaveValue(original.body);
    // Soft, so that the rest of the journey still runs when the tags are wrong.
    await expect
      .soft(page.getByLabel("Tags", { exact: true }), "the edit form shows the post's own tags")
      .toHaveValue(original.tags!);
    await expectAccessible(page);

    // The member changes the title and the body, and leaves the tags as they are.
    const edited = {
      title: uniqueTitle("Graphic novel club at the middle school, month two"),
      body: "Twelve students came to the first meeting, and **twenty** to the second.",
    };
    await page.getByLabel("Title", { exact: true }).fill(edited.title);
    await page.getByLabel("Body", { exact: true }).fill(edited.body);
    await page.getByRole("button", { name: "Save changes" }).click();

    await expect(page).toHaveURL(new RegExp(`/posts/${postId}(/[a-z0-9-]+)?$`));
    await expect(page.getByRole("heading", { level: 1, name: edited.title })).toBeVisible();
    await expect(page.locator(".thread > .prose strong")).toHaveText("twenty");
    await expect
      .soft(page.getByRole("list", { name: "Tags" }).getByRole("listitem"), "an edit keeps the post's tags")
      .toHaveText(["graphic-novels"]);
    await page.locator(".byline").getByRole("link", { name: "edited", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/posts/${postId}/revisions$`));
    await expect(page.getByRole("heading", { level: 1, name: `History of “${edited.title}”` })).toBeVisible();
    await expect(page.getByText(`Title: ${original.title}`)).toBeVisible();
    await expect(page.locator("pre")).toHaveText([original.body]);
    await expectAccessible(page);

    await page.getByRole("link", { name: "Back to the current version" }).click();
    await page.getByRole("link", { name: "Edit post", exact: true }).click();
    await page.getByRole("button", { name: "Delete post" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1, name: "Latest discussions" })).toBeVisible();
    await expect(page.getByRole("link", { name: edited.title })).toHaveCount(0);

    const response = await page.goto(`/posts/${postId}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  });
});

test.describe("writing with bad input", () => {
  test.use({ allowedConsoleErrors: [/status of 400/] });

  test("a title that is too short is refused beside the field, and the draft is kept", async ({ page }) => {
    await logInAs(page, demoMembers.marcus, "/posts/new");
    await expect(page.getByRole("heading", { level: 1, name: "Start a post" })).toBeVisible();
    const draft: NewPost = {
      title: "Short",
      kind: "Question",
      body: "Does anyone run a book club for teachers over the summer?",
      tags: "book-clubs, Professional Development",
    };
    await fillPostForm(page, draft);
    await page.getByRole("button", { name: "Publish" }).click();

    const title = page.getByLabel("Title", { exact: true });
    await expect(page.getByText("Use at least 8 characters")).toBeVisible();
    await expect(title).toHaveAccessibleDescription(/Use at least 8 characters/);
    await expect(title).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/posts\/new$/);
    await expectComposerKeeps(page, draft);
    await expect(page.getByLabel("Body", { exact: true })).not.toHaveAttribute("aria-invalid", "true");
    await expectAccessible(page);
  });
});

test.describe("writing without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member previews and publishes a markdown post, then replies three levels deep", async ({
    page,
  }) => {
    const hannah = demoMembers.hannah;
    await logInAs(page, hannah);
    await accountNav(page).getByRole("link", { name: "Start a post" }).click();
    await expect(page).toHaveURL(/\/posts\/new$/);

    const post = booklistPost();
    await fillPostForm(page, post);
    await page.getByRole("button", { name: "Preview" }).click();
    const preview = page.getByRole("region", { name: "Preview" });
    await expect(preview.getByRole("heading", { level: 2, name: "Preview" })).toBeVisible();
    await expect(preview.locator("strong")).toHaveText("summer booklist swap");
    await expectComposerKeeps(page, post);

    await page.getByRole("button", { name: "Publish" }).click();
    await expectPublishedBooklistPost(page, post);
    const threadPath = new URL(page.url()).pathname;

    const firstId = await postComment(
      page,
      replyBox(page),
      hannah,
      "Our middle school librarian asked for the graphic novel list in print.",
    );

    // Reply loads the page again with the form at the bottom answering that comment.
    await replyLink(page, firstId).click();
    await expect(page).toHaveURL(new RegExp(`${threadPath}\\?replyTo=${firstId}#reply$`));
    const box = replyBox(page);
    await expect(box).toContainText(`Replying to ${hannah.displayName}`);
    await expect(box.getByRole("link", { name: hannah.displayName })).toHaveAttribute(
      "href",
      `#comment-${firstId}`,
    );
    await expect(box.getByRole("link", { name: "Cancel reply" })).toHaveAttribute("href", threadPath);
    await expect(inlineReplyForm(page, firstId)).toHaveCount(0);

    const replyId = await postComment(page, box, hannah, "We printed it on the back of the bookmarks.");
    await expect(page).toHaveURL(new RegExp(`${threadPath}\\?at=${replyId}#comment-${replyId}$`));
    await expect(box).not.toContainText("Replying to");
    await expect(nestedReplies(page, firstId)).toHaveAttribute("id", `comment-${replyId}`);

    await replyLink(page, replyId).click();
    await expect(page).toHaveURL(new RegExp(`\\?replyTo=${replyId}#reply$`));
    await expect(box).toContainText(`Replying to ${hannah.displayName}`);
    const deeperId = await postComment(page, box, hannah, "Bookmarks went faster than the lists themselves.");
    await expect(nestedReplies(page, replyId)).toHaveAttribute("id", `comment-${deeperId}`);
    await expect(
      commentItem(page, firstId).locator(`> ol > li > ol > li > article#comment-${deeperId}`),
    ).toHaveCount(1);
    await expect(page.getByRole("heading", { level: 2, name: "3 replies" })).toBeVisible();
  });
});
