import fs from "node:fs/promises";
import { expect, expectAccessible, test } from "./fixtures";
import { demoMembers, fillPostForm, logInAs, uniqueTitle } from "./writing-helpers";

// Tomás Reyes writes the one post here (no other journey posts as him, so he
// stays under the limit of 3 posts per 10 minutes). The demo content carries
// two booklists that share Hatchet, which the search below relies on.

const tomas = demoMembers.tomas;

test.describe("a booklist without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member adds two books, removes one, publishes, sees the table and downloads it as CSV", async ({
    page,
  }) => {
    await logInAs(page, tomas, "/posts/new");
    const title = uniqueTitle("Picture books for the kindergarten farm unit");
    await fillPostForm(page, {
      title,
      kind: "Idea",
      body: "The books our kindergarten teachers asked for this spring.",
      tags: "booklists",
    });

    await page.getByText("Add a booklist").click();
    await page.getByLabel("Title, book 1").fill("Charlotte's Web");
    await page.getByLabel("Author, book 1").fill("E. B. White");
    await page.getByLabel("ISBN, book 1").fill("0-06-440055-7");
    await page.getByLabel("Grade band, book 1").selectOption({ label: "K–2" });

    await page.getByRole("button", { name: "Add a book" }).click();
    // The form came back from the server with a second row and everything typed kept.
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(title);
    await expect(page.getByLabel("Title, book 1")).toHaveValue("Charlotte's Web");
    await page.getByLabel("Title, book 2").fill("A book that does not belong here");

    await page.getByRole("button", { name: "Add a book" }).click();
    await page.getByLabel("Title, book 3").fill("Click, Clack, Moo");
    await page.getByLabel("Author, book 3").fill("Doreen Cronin");
    await page.getByLabel("Note, book 3").fill('Typing cows, "on strike"');

    await page.getByRole("button", { name: "Remove book 2" }).click();
    await expect(page.getByLabel("Title, book 2")).toHaveValue("Click, Clack, Moo");
    await expect(page.getByLabel("Title, book 3")).toHaveCount(0);

    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

    const table = page.getByRole("table", { name: "Booklist" });
    await expect(table.getByRole("columnheader")).toHaveText([
      "Title",
      "Author",
      "ISBN",
      "Grade band",
      "Note",
    ]);
    await expect(table.getByRole("row")).toHaveCount(3);
    await expect(table.getByRole("row").nth(1)).toContainText("978-0064400558");
    await expect(table.getByRole("row").nth(2)).toContainText('Typing cows, "on strike"');

    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download as CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(
      /^picture-books-for-the-kindergarten-farm-unit-[a-z0-9-]+-booklist\.csv$/,
    );
    const csv = await fs.readFile(await download.path(), "utf8");
    expect(csv).toBe(
      "\uFEFFTitle,Author,ISBN,Grade band,Note\r\n" +
        "Charlotte's Web,E. B. White,978-0064400558,K–2,\r\n" +
        '"Click, Clack, Moo",Doreen Cronin,,,"Typing cows, ""on strike"""\r\n',
    );
  });
});

test("/booklists finds a book on both demo lists once, and passes an accessibility scan", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Booklists" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Booklists" })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Search booklists").fill("978-1-4169-3647-3");
  await page.getByLabel("Search booklists").press("Enter");
  const books = page.getByRole("list", { name: "Books" });
  await expect(books.getByRole("heading", { level: 2 })).toHaveText(["Hatchet"]);
  await expect(books).toContainText("on 2 lists");
  await expectAccessible(page);

  await books.getByRole("link", { name: /shared booklist template/ }).click();
  await expect(page.getByRole("table", { name: "Booklist" })).toBeVisible();
  await expectAccessible(page);
});
