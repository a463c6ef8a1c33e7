import { expect, expectAccessible, test } from "./fixtures";
import { demoMembers, logInAs } from "./writing-helpers";

// Success stories: June Whitaker (the demo admin, whom the post limit does not
// slow down) follows up on Maria Okafor's library-card story with "I tried
// this"; a visitor browses /stories. Rosa Delgado's demo follow-up to the same
// story is the one other link in the chain, and no other journey adds one.

// A refused form is answered with 400, which Chromium logs.
test.use({ allowedConsoleErrors: [/status of 400/] });

const cardNightTitle = "Library card sign-up night at back-to-school: 212 new cards in one evening";
const rosaFollowUpTitle = "We tried the back-to-school card table in Millbrook: 40 cards to 310";

test("a member writes a success story with outcomes, following up on another, and sees its card", async ({
  page,
}) => {
  await logInAs(page, demoMembers.june);
  await page.goto("/stories?program=library_card_drive");
  await page.getByRole("link", { name: cardNightTitle, exact: true }).click();
  const originalCard = page.getByRole("region", { name: "Success story details" });
  await expect(originalCard).toContainText("library cards issued at back-to-school night 31 → 212 (+181)");
  await expect(originalCard).toContainText("Tried by 1 library");
  await originalCard.getByRole("link", { name: "I tried this" }).click();

  await expect(page).toHaveURL(/\/posts\/new\?triedFrom=\d+$/);
  await expect(page.getByLabel("Type", { exact: true }).locator("option:checked")).toHaveText(
    "Success story",
  );
  const details = page.getByRole("group", { name: "Success story details" });
  await expect(details).toBeVisible();
  await expect(details).toContainText(`Following up on: ${cardNightTitle}`);
  await expectAccessible(page);

  // With JavaScript the story part follows the Type.
  await page.getByLabel("Type", { exact: true }).selectOption({ label: "Question" });
  await expect(details).toBeHidden();
  await page.getByLabel("Type", { exact: true }).selectOption({ label: "Success story" });
  await expect(details).toBeVisible();

  const title = `Card table at the regional bookmobile stops ${Date.now().toString(36)}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page
    .getByLabel("Body", { exact: true })
    .fill("We parked the bookmobile outside each school's open house.");
  await page.getByLabel("Tags", { exact: true }).fill("library-cards");
  await details.getByRole("group", { name: "Partners" }).getByLabel("Public library").check();
  await details.getByRole("group", { name: "Partners" }).getByLabel("Families").check();
  await details.getByRole("group", { name: "Grade bands" }).getByLabel("3–5").check();
  await details.getByLabel("Program type").selectOption({ label: "Library-card drive" });
  await details.getByLabel("Reach (students or families)").fill("520");
  await details.getByLabel("Outcome measure").fill("library cards issued");
  await details.getByLabel("Before", { exact: true }).fill("40");
  await details.getByLabel("Staff hours").fill("18");
  await details.getByLabel("What I would change").fill("Start a week earlier, before the open houses.");
  await page.getByRole("button", { name: "Publish" }).click();

  // An outcome needs both of its numbers: the form comes back with everything kept.
  const after = page.getByLabel("After", { exact: true });
  await expect(after).toHaveAccessibleDescription("Enter the number after.");
  await expect(page.getByLabel("Reach (students or families)")).toHaveValue("520");
  await expect(page.getByRole("group", { name: "Partners" }).getByLabel("Families")).toBeChecked();
  await expect(page.getByText(`Following up on: ${cardNightTitle}`)).toBeVisible();
  await after.fill("310");
  await page.getByRole("button", { name: "Publish" }).click();

  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const card = page.getByRole("region", { name: "Success story details" });
  await expect(card).toContainText("library cards issued 40 → 310 (+270)");
  await expect(card).toContainText("Library-card drive");
  await expect(card).toContainText("Public library, Families");
  await expect(card).toContainText("520 students or families");
  await expect(card).toContainText("Start a week earlier, before the open houses.");
  await expectAccessible(page);

  // The chain reads both ways.
  await card.getByRole("link", { name: cardNightTitle }).click();
  const back = page.getByRole("region", { name: "Success story details" });
  await expect(back).toContainText("Tried by 2 libraries");
  await expect(back.getByRole("link", { name: rosaFollowUpTitle })).toBeVisible();
  await back.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});

test("a visitor browses /stories by facet and clears the filters", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Stories" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Success stories" })).toBeVisible();
  await expectAccessible(page);

  await page
    .getByRole("navigation", { name: "Grade band" })
    .getByRole("link", { name: /^6–8 \(\d+\)$/ })
    .click();
  await expect(page).toHaveURL(/\/stories\?grade=6_8$/);
  const listed = page.getByRole("main").getByRole("article");
  await expect(
    listed.filter({ hasText: "Our teen advisory board ran the middle school visit" }),
  ).toContainText("Cedar Falls students at the summer kickoff 20 → 57 (+37)");
  await expect(listed.filter({ hasText: cardNightTitle })).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/stories$/);
  await expect(
    page.getByRole("main").getByRole("listitem").filter({ hasText: cardNightTitle }),
  ).toContainText(/Tried by \d+ librar/);
});
