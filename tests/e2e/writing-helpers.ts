import crypto from "node:crypto";
import { type Locator, type Page } from "@playwright/test";
import { expectLoggedInAs, fillLogInForm } from "./accounts-helpers";
import { expect } from "./fixtures";

// Writing journeys log in as demo members instead of signing up (sign-ups are
// limited per address per hour for the whole run). A member may publish 3 posts
// per 10 minutes and 6 comments per minute, so each journey writes as a member
// of its own; Dev Patel, a moderator, is exempt.

export const DEMO_PASSWORD = "reading-together";

export const demoMembers = {
  maria: { email: "maria-okafor@example.org", displayName: "Maria Okafor" },
  hannah: { email: "hannah-lindqvist@example.org", displayName: "Hannah Lindqvist" },
  marcus: { email: "marcus-bell@example.org", displayName: "Marcus Bell" },
  rosa: { email: "rosa-delgado@example.org", displayName: "Rosa Delgado" },
  dev: { email: "dev-patel@example.org", displayName: "Dev Patel" },
  priya: { email: "priya-nair@example.org", displayName: "Priya Nair" },
  tomas: { email: "tomas-reyes@example.org", displayName: "Tomás Reyes" },
  june: { email: "june-whitaker@example.org", displayName: "June Whitaker" },
} as const;

export type DemoMember = (typeof demoMembers)[keyof typeof demoMembers];

/** A demo thread no other journey reads or writes to: safe to open reply forms on. */
export const contactSheetTitle = "Build a one-page contact sheet for every school in your service area";

/** Logs a demo member in through /login and lands on `redirectTo`. */
export async function logInAs(page: Page, member: DemoMember, redirectTo = "/") {
  await page.goto(`/login?${new URLSearchParams({ redirectTo })}`);
  await fillLogInForm(page, member.email, DEMO_PASSWORD);
  await expectLoggedInAs(page, member.displayName);
}

/** Posts are shared by every test against one app: a suffix keeps each title unique. */
export function uniqueTitle(title: string) {
  return `${title} ${crypto.randomBytes(3).toString("hex")}`;
}

export type NewPost = {
  title: string;
  kind: "Question" | "Idea" | "Success story" | "Discussion";
  body: string;
  tags?: string;
};

/** Fills the composer (the page must be on /posts/new). */
export async function fillPostForm(page: Page, post: NewPost) {
  await page.getByLabel("Title", { exact: true }).fill(post.title);
  await page.getByLabel("Type", { exact: true }).selectOption({ label: post.kind });
  await page.getByLabel("Body", { exact: true }).fill(post.body);
  await page.getByLabel("Tags", { exact: true }).fill(post.tags ?? "");
}

/** Publishes a post through /posts/new; returns the thread's path. */
export async function publishPost(page: Page, post: NewPost) {
  await page.goto("/posts/new");
  await fillPostForm(page, post);
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page).toHaveURL(/\/posts\/\d+\/[a-z0-9-]+$/);
  await expect(page.getByRole("heading", { level: 1, name: post.title })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** The "Leave a reply" section under the thread. */
export function replyBox(page: Page) {
  return page.getByRole("region", { name: "Leave a reply" });
}

export function commentBox(scope: Page | Locator) {
  return scope.getByRole("textbox", { name: "Comment", exact: true });
}

/** A comment's article, by id. */
export function commentArticle(page: Page, id: number) {
  return page.locator(`article#comment-${id}`);
}

/** The list item holding a comment, its inline reply form and its replies. */
export function commentItem(page: Page, id: number) {
  return page.locator(`li:has(> article#comment-${id})`);
}

/** The inline reply form opened under a comment (JavaScript only). */
export function inlineReplyForm(page: Page, id: number) {
  return commentItem(page, id).locator("> form");
}

/** The direct replies shown nested under a comment. */
export function nestedReplies(page: Page, id: number) {
  return commentItem(page, id).locator("> ol > li > article");
}

export function replyLink(page: Page, id: number) {
  return commentArticle(page, id).getByRole("link", { name: "Reply", exact: true });
}

/**
 * Waits until React has hydrated `element`: before that, a click is the plain
 * link's (the Reply link then loads ?replyTo=ID#reply instead of opening the
 * inline form). React marks every element it manages with a `__reactProps$…` key.
 */
export async function expectHydrated(element: Locator) {
  await expect
    .poll(
      () => element.evaluate((node) => Object.keys(node).some((key) => key.startsWith("__reactProps$"))),
      {
        message: "the page is hydrated",
      },
    )
    .toBe(true);
}

/** With JavaScript: clicks a comment's Reply link and returns the inline form, its box focused. */
export async function openInlineReply(page: Page, id: number) {
  const link = replyLink(page, id);
  await expectHydrated(link);
  await link.click();
  const form = inlineReplyForm(page, id);
  await expect(commentBox(form)).toBeFocused();
  return form;
}

/**
 * Writes `text` into the comment box inside `scope` and posts it; waits for the
 * page to land on the new comment (`#comment-ID`) and returns its id.
 */
export async function postComment(page: Page, scope: Locator, author: DemoMember, text: string) {
  await commentBox(scope).fill(text);
  await scope.getByRole("button", { name: "Post comment" }).click();
  const article = page.getByRole("article", { name: `Reply by ${author.displayName}` }).filter({
    hasText: text,
  });
  await expect(article).toHaveCount(1);
  const id = Number((await article.getAttribute("id"))?.replace(/^comment-/, ""));
  expect(id, "the new comment's id").toBeGreaterThan(0);
  await expect(page).toHaveURL(new RegExp(`#comment-${id}$`));
  await expect(article).toBeInViewport();
  return id;
}

/** The list of comments shown at `level` (1 = comments on the post). */
export function commentListAtLevel(page: Page, level: number) {
  return page.locator(`.replies > ol.comment-list${" > li > ol.comment-list".repeat(level - 1)}`);
}
