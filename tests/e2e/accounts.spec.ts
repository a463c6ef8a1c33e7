import {
  accountNav,
  expectLoggedInAs,
  expectLoggedOut,
  fillJoinForm,
  fillLogInForm,
  logOut,
  newAccount,
  readResetLink,
  signUp,
} from "./accounts-helpers";
import fs from "node:fs/promises";
import { expectAccessible, expect, test } from "./fixtures";

// Every journey that needs an account creates its own (7 in all, under the
// sign-up limit of 10 an hour per address).

for (const javaScriptEnabled of [true, false]) {
  // axe runs inside the page, so it needs JavaScript; the HTML is the same server render.
  const scanIfPossible = javaScriptEnabled ? expectAccessible : async () => {};

  test.describe(javaScriptEnabled ? "joining" : "joining without JavaScript", () => {
    test.use({ javaScriptEnabled });

    test("a visitor joins, logs out and logs back in with the e-mail in other letter case", async ({
      page,
    }) => {
      const account = newAccount();
      await page.goto("/");
      await expectLoggedOut(page);

      await accountNav(page).getByRole("link", { name: "Join", exact: true }).click();
      await expect(page).toHaveURL(/\/join\?redirectTo=%2F$/);
      await expect(page.getByRole("heading", { level: 1, name: "Join Crosswalk" })).toBeVisible();
      await scanIfPossible(page);

      await fillJoinForm(page, account);
      await expect(page).toHaveURL(/\/$/);
      await expectLoggedInAs(page, account.displayName);

      await accountNav(page).getByRole("button", { name: "Log out" }).click();
      await expectLoggedOut(page);

      await accountNav(page).getByRole("link", { name: "Log in", exact: true }).click();
      await expect(page).toHaveURL(/\/login\?redirectTo=%2F$/);
      await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
      await scanIfPossible(page);

      await fillLogInForm(page, account.email.toUpperCase(), account.password);
      await expect(page).toHaveURL(/\/$/);
      await expectLoggedInAs(page, account.displayName);
    });
  });
}

test.describe("forms answered with 400", () => {
  test.use({ allowedConsoleErrors: [/status of 400/] });

  test("joining with a too-short password and a bad username keeps what was typed, except the password", async ({
    page,
  }) => {
    const account = newAccount();
    const badUsername = `Ada Reader ${account.username}`;
    await page.goto("/join");
    await page.getByLabel("Display name").fill(account.displayName);
    await page.getByLabel("Username").fill(badUsername);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password", { exact: true }).fill("too short");
    await page.getByLabel("Library type").selectOption({ label: "School library" });
    await page.getByLabel("Community").fill(account.community);
    const answered = page.waitForResponse(
      (response) =>
        response.request().method() === "POST" && new URL(response.url()).pathname.startsWith("/join"),
    );
    await page.getByRole("button", { name: "Create account" }).click();
    const answer = await answered;
    expect(answer.status()).toBe(400);
    expect(await answer.text(), "the server never sends a password back").not.toContain("too short");

    const password = page.getByLabel("Password", { exact: true });
    const username = page.getByLabel("Username");
    await expect(password).toHaveAccessibleDescription(/Use at least 10 characters\./);
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(username).toHaveAccessibleDescription(/Use only lowercase letters, digits, _ and -\./);
    await expect(username).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Use at least 10 characters.")).toBeVisible();

    await expect(page.getByLabel("Display name")).toHaveValue(account.displayName);
    await expect(username).toHaveValue(badUsername);
    await expect(page.getByLabel("Email")).toHaveValue(account.email);
    await expect(page.getByLabel("Community")).toHaveValue(account.community);
    await expect(page.getByLabel("Library type")).toHaveValue("school");

    // Nothing was created: the visitor is still a visitor.
    await expectLoggedOut(page);

    // The password is not kept: the field is empty again, with JavaScript as without.
    await expect(password).toHaveValue("");
  });

  test("a wrong password says the pair does not match and keeps the e-mail", async ({ page }) => {
    // A demo member's address: known to the forum, and nobody else's test logs in with it.
    const email = "tomas-reyes@example.org";
    await page.goto("/login");
    await fillLogInForm(page, email, "not the right password at all");

    await expect(page.getByRole("alert")).toContainText(
      "That e-mail address and password don't match an account",
    );
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expectLoggedOut(page);
  });
});

test("a member who forgot their password resets it with the e-mailed link, which works only once", async ({
  page,
  browser,
  baseURL,
}) => {
  const account = await signUp(page);
  await logOut(page);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email").fill(account.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText(`If an account exists for ${account.email}`);

  const link = await readResetLink(browser, baseURL!, account.email);
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
  const newPassword = "kettle whistles at midnight";
  await page.getByLabel("New password").fill(newPassword);
  await page.getByRole("button", { name: "Set new password" }).click();

  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByRole("status")).toContainText("Your password has been changed");
  await fillLogInForm(page, account.email, newPassword);
  await expectLoggedInAs(page, account.displayName);

  await page.goto(link);
  await expect(page.getByText("This reset link has expired or has already been used")).toBeVisible();
  await expect(page.getByLabel("New password")).toHaveCount(0);
});

test("a member edits their profile in settings, and the profile shows it without the e-mail address", async ({
  page,
}) => {
  const account = await signUp(page);
  await accountNav(page).getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.getByLabel("Display name")).toHaveValue(account.displayName);
  await expectAccessible(page);

  const newName = `${account.displayName} Okonkwo`;
  const newCommunity = `Riverbend ${account.username}`;
  const newBio = "I run story time on Saturdays and visit the two elementary schools down the road.";
  await page.getByLabel("Display name").fill(newName);
  await page.getByLabel("Community").fill(newCommunity);
  await page.getByLabel("Bio").fill(newBio);
  await page.getByRole("button", { name: "Save profile" }).click();

  await expect(page.getByRole("status")).toContainText("Your profile has been saved.");
  await expectLoggedInAs(page, newName);
  await expect(page.getByLabel("Display name")).toHaveValue(newName);
  await expect(page.getByLabel("Community")).toHaveValue(newCommunity);
  await expect(page.getByLabel("Bio")).toHaveValue(newBio);
  await expectAccessible(page);

  await accountNav(page).getByRole("link", { name: newName, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/u/${account.username}$`));
  await expect(page.getByRole("heading", { level: 1, name: newName })).toBeVisible();
  await expect(page.getByText(newBio)).toBeVisible();
  await expect(page.getByText(newCommunity)).toBeVisible();
  await expect(page.getByText(account.email)).toHaveCount(0);
  // Nor anywhere in the HTML, the route data shipped to the browser included.
  expect((await page.content()).toLowerCase()).not.toContain(account.email.toLowerCase());
  await expectAccessible(page);
});

test("a visitor sent from settings to log in comes back to settings", async ({ page }) => {
  const account = await signUp(page);
  await logOut(page);

  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fsettings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
  await fillLogInForm(page, account.email, account.password);

  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expectLoggedInAs(page, account.displayName);
});

test("a member logs in with the keyboard alone", async ({ page }) => {
  const account = await signUp(page);
  await logOut(page);

  await page.goto("/login");
  const email = page.getByLabel("Email");
  const password = page.getByLabel("Password", { exact: true });
  await email.focus();
  await expect(email).toBeFocused();
  await page.keyboard.type(account.email);
  await page.keyboard.press("Tab");
  await expect(password).toBeFocused();
  await page.keyboard.type(account.password);
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/$/);
  await expectLoggedInAs(page, account.displayName);
});

test.describe("leaving", () => {
  // The wrong password and the last log-in answer 400, the deleted profile 404: the browser logs each.
  test.use({ allowedConsoleErrors: [/status of 40[04]/] });

  test("a member downloads their data, then deletes their account and can no longer log in", async ({
    page,
  }) => {
    const account = await signUp(page);
    await page.goto("/settings");
    await expect(page.getByRole("heading", { level: 2, name: "Your data" })).toBeVisible();

    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download my data" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^crosswalk-${account.username}-\\d{4}-\\d{2}-\\d{2}\\.json$`),
    );
    const exported = JSON.parse(await fs.readFile(await download.path(), "utf8"));
    expect(exported.account).toMatchObject({
      username: account.username,
      email: account.email,
      displayName: account.displayName,
    });

    const deletion = page.getByRole("region", { name: "Delete account" });
    await deletion.getByLabel("Remove them from the forum").check();
    await deletion.getByLabel("Your password").fill("not the right password");
    await deletion.getByRole("button", { name: "Delete my account" }).click();
    await expect(deletion.getByText("That is not your password.")).toBeVisible();
    await expect(deletion.getByLabel("Remove them from the forum")).toBeChecked();
    await expectAccessible(page);

    await deletion.getByLabel("Your password").fill(account.password);
    await deletion.getByRole("button", { name: "Delete my account" }).click();
    await expect(page).toHaveURL(/\/account-deleted\?content=removed$/);
    await expect(
      page.getByRole("heading", { level: 1, name: "Your account has been deleted" }),
    ).toBeVisible();
    await expect(page.getByRole("status")).toContainText("Your posts and replies have been removed");
    await expectLoggedOut(page);
    await expectAccessible(page);

    await page.goto(`/u/${account.username}`);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await page.goto("/login");
    await fillLogInForm(page, account.email, account.password);
    await expect(page.getByRole("alert")).toContainText(
      "That e-mail address and password don't match an account",
    );
    await expectLoggedOut(page);
  });
});
