import { expect, expectAccessible, test } from "./fixtures";
import { demoMembers, logInAs } from "./writing-helpers";

// Hannah Lindqvist asked the demo question about class sets, and Dev Patel's
// reply answered it; no other journey writes to that thread. She sums up what
// she learned, the way LM_NET members post a "HIT" summary.

const classSetsTitle =
  "Can the public library supply 30 copies for a 7th-grade novel study without wrecking everyone's holds?";

// The refused form answers 400, which Chromium reports in the console.
test.use({ allowedConsoleErrors: [/status of 400/] });

test("the asker writes a summary of answers crediting a reply, and it shows right under the question", async ({
  page,
}) => {
  const hannah = demoMembers.hannah;
  await logInAs(page, hannah, "/search?q=Gratz");
  await page.getByRole("link", { name: classSetsTitle, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: classSetsTitle })).toBeVisible();
  await expect(page.getByRole("region", { name: "Summary of answers" })).toHaveCount(0);

  await page.getByRole("link", { name: "Write a summary of answers" }).click();
  await expect(page).toHaveURL(/\/posts\/\d+\/summary$/);
  await expect(page.getByRole("heading", { level: 1, name: "Summary of answers" })).toBeVisible();
  const credits = page.getByRole("group", { name: "Credit the replies it draws on" });
  const devsReply = credits.getByRole("checkbox", { name: /^Dev Patel: “Please email our teen desk/ });
  await expectAccessible(page);

  // An empty summary comes back with a message, and the ticked reply stays ticked.
  await devsReply.check();
  await page.getByRole("button", { name: "Save summary" }).click();
  const summaryBox = page.getByRole("textbox", { name: "Summary of answers" });
  await expect(page.getByText("Write the summary.")).toBeVisible();
  await expect(summaryBox).toHaveAttribute("aria-invalid", "true");
  await expect(devsReply).toBeChecked();
  await expectAccessible(page);

  const summary =
    "The public library's book club kits never touch the holds queue: ask the teen desk four to six weeks ahead.";
  await summaryBox.fill(summary);
  await page.getByRole("button", { name: "Save summary" }).click();

  await expect(page).toHaveURL(/\/posts\/\d+\/[a-z0-9-]+#answer-summary$/);
  const section = page.getByRole("region", { name: "Summary of answers" });
  await expect(section).toContainText(summary);
  await expect(section).toContainText(`Summarised by ${hannah.displayName}`);
  const credit = section.getByRole("link", { name: "Reply by Dev Patel" });
  const href = (await credit.getAttribute("href")) ?? "";
  expect(href).toMatch(/^#comment-\d+$/);
  await expect(page.locator(`article${href}`)).toContainText("book club kit");
  await expect(section.getByRole("link", { name: "Edit summary" })).toBeVisible();
  // It sits right under the question, before the replies.
  const sectionTop = (await section.boundingBox())?.y ?? 0;
  const repliesTop = (await page.locator("#replies-heading").boundingBox())?.y ?? 0;
  expect(sectionTop).toBeLessThan(repliesTop);
  await expectAccessible(page);

  await credit.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
});
