import { accountNav } from "./accounts-helpers";
import { expect, expectAccessible, test } from "./fixtures";
import { demoMembers, logInAs } from "./writing-helpers";

// Marcus Bell (a school librarian in Millbrook) is the one demo member who
// introduces himself here, to Rosa Delgado (public library, Millbrook); no
// other journey sends introductions, so his daily limit is never in the way.

const marcus = demoMembers.marcus;
const rosa = demoMembers.rosa;

test("a school librarian finds a public librarian from their community and introduces himself", async ({
  page,
  browser,
  baseURL,
}) => {
  await logInAs(page, marcus);
  await accountNav(page).getByRole("link", { name: "Partners", exact: true }).click();
  await expect(page).toHaveURL(/\/partners$/);
  await expect(page.getByRole("heading", { level: 1, name: "Find a partner library" })).toBeVisible();

  // His own community comes first, then the rest of his region.
  const community = page.getByRole("list", { name: "In your community" });
  await expect(community.getByRole("article").first()).toHaveAccessibleName(rosa.displayName);
  await expect(page.getByRole("heading", { level: 2 }).first()).toHaveText("In your community");
  const region = page.getByRole("list", { name: "In your region" });
  await expect(region.getByRole("article", { name: "Dev Patel" })).toBeVisible();
  await expectAccessible(page);

  await community.getByRole("link", { name: `Introduce yourself to ${rosa.displayName}` }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: `Introduce yourself to ${rosa.displayName}` }),
  ).toBeVisible();
  const message =
    "Hi Rosa, I run the North Ridge High library. Could your summer reading team visit our ninth graders in May?";
  await page.getByLabel("Message", { exact: true }).fill(message);
  await page.getByRole("button", { name: "Send introduction" }).click();
  await expect(page.getByRole("status")).toHaveText(
    `Your introduction has been sent to ${rosa.displayName}.`,
  );
  await expect(page.getByText(message)).toBeVisible();
  await expectAccessible(page);

  // Rosa finds it among her notifications; the link leads to the message and the way to answer.
  const rosaContext = await browser.newContext({ baseURL });
  try {
    const rosaPage = await rosaContext.newPage();
    await logInAs(rosaPage, rosa, "/notifications");
    await rosaPage.getByRole("link", { name: `${marcus.displayName} introduced themselves to you.` }).click();
    await expect(
      rosaPage.getByRole("heading", { level: 1, name: `${marcus.displayName} introduced themselves` }),
    ).toBeVisible();
    await expect(rosaPage.getByText(message)).toBeVisible();
    await expect(rosaPage.getByRole("link", { name: "Introduce yourself back" })).toHaveAttribute(
      "href",
      "/partners/marcus-bell/introduce",
    );
    await expect(rosaPage.getByRole("button", { name: `Block ${marcus.displayName}` })).toBeVisible();
    await expect(rosaPage.getByText(marcus.email)).toHaveCount(0);
    await expectAccessible(rosaPage);
  } finally {
    await rosaContext.close();
  }
});
