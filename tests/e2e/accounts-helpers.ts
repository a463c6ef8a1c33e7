import crypto from "node:crypto";
import { type Browser, type Page } from "@playwright/test";
import { expect } from "./fixtures";

// Sign-ups are limited to 10 per address per hour, and every browser test
// comes from the same address: create an account only where a journey needs one.

/** The demo admin, who alone may read the outbox in production mode (see app/db/demo-content.ts). */
export const DEMO_ADMIN = { email: "june-whitaker@example.org", password: "reading-together" };

export type NewAccount = {
  displayName: string;
  username: string;
  email: string;
  password: string;
  libraryType: "School library" | "Public library" | "Academic library" | "Other";
  community: string;
};

/** A fresh, unique member to sign up: tests run in parallel against one shared app. */
export function newAccount(): NewAccount {
  const suffix = crypto.randomBytes(4).toString("hex");
  return {
    displayName: `Ada Reader ${suffix}`,
    username: `ada-${suffix}`,
    email: `ada-${suffix}@example.net`,
    password: "maple syrup on tuesdays",
    libraryType: "Public library",
    community: `Harbourside ${suffix}`,
  };
}

export function accountNav(page: Page) {
  return page.getByRole("navigation", { name: "Account" });
}

/** The header as a member sees it. */
export async function expectLoggedInAs(page: Page, displayName: string) {
  const nav = accountNav(page);
  await expect(nav.getByRole("link", { name: displayName, exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Settings", exact: true })).toBeVisible();
  await expect(nav.getByRole("button", { name: "Log out" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Log in", exact: true })).toHaveCount(0);
}

/** The header as a visitor sees it. */
export async function expectLoggedOut(page: Page) {
  const nav = accountNav(page);
  await expect(nav.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Join", exact: true })).toBeVisible();
  await expect(nav.getByRole("button", { name: "Log out" })).toHaveCount(0);
}

/** Fills every field of /join (the page must be open) and sends it. */
export async function fillJoinForm(page: Page, account: NewAccount) {
  await page.getByLabel("Display name").fill(account.displayName);
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByLabel("Library type").selectOption({ label: account.libraryType });
  await page.getByLabel("Community").fill(account.community);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Signs a new member up through /join; they end up logged in. */
export async function signUp(page: Page, account: NewAccount = newAccount()) {
  await page.goto("/join");
  await fillJoinForm(page, account);
  await expectLoggedInAs(page, account.displayName);
  return account;
}

export async function logOut(page: Page) {
  await accountNav(page).getByRole("button", { name: "Log out" }).click();
  await expectLoggedOut(page);
}

/** Fills and sends the log-in form (the page must be on /login). */
export async function fillLogInForm(page: Page, email: string, password: string) {
  // Exact: a post titled with the word "email" on the page must never match.
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/**
 * Reads the newest password-reset link sent to `email` from /admin/outbox, as
 * the demo admin in a browser context of its own (the test's page stays as it is).
 */
export async function readResetLink(browser: Browser, baseURL: string, email: string) {
  const context = await browser.newContext({ baseURL });
  try {
    const admin = await context.newPage();
    await admin.goto(`/login?${new URLSearchParams({ redirectTo: "/admin/outbox" })}`);
    await fillLogInForm(admin, DEMO_ADMIN.email, DEMO_ADMIN.password);
    await expect(admin).toHaveURL(/\/admin\/outbox$/);
    await expect(admin.getByRole("heading", { level: 1, name: "Outbox" })).toBeVisible();

    // Newest first: the first matching message is the latest one.
    const message = admin
      .getByRole("article", { name: "Reset your Crosswalk password" })
      .filter({ hasText: `To ${email} ·` })
      .first();
    const link = message.locator('a[href*="/reset-password?token="]');
    await expect(link).toHaveCount(1);
    const href = await link.getAttribute("href");
    if (!href) throw new Error(`The reset message to ${email} has no link.`);
    return href;
  } finally {
    await context.close();
  }
}
