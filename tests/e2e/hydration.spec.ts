import { expect, test } from "./fixtures";
import { demoMembers, logInAs } from "./writing-helpers";

// A member's page carries its loader data as a stream of inline scripts,
// which Remix decodes when the app first renders. A click that reaches React
// after it has started hydrating but before that first render makes React
// hydrate at once, and the render cannot wait for the data then
// (docs/decisions/027-hydrate-after-the-data-is-decoded.md).

test("a member who clicks into the composer just as the scripts start keeps the page working", async ({
  page,
}) => {
  await logInAs(page, demoMembers.rosa);
  // Runs before the page's own scripts. React listens on the document as it
  // starts hydrating; the click is dispatched right after, before React's
  // first render, which on a real page a member's click can only sometimes hit.
  await page.addInitScript(() => {
    const addEventListener = Document.prototype.addEventListener;
    let clicked = false;
    Document.prototype.addEventListener = function (
      this: Document,
      ...args: Parameters<Document["addEventListener"]>
    ) {
      addEventListener.apply(this, args);
      if (args[0] !== "click" || clicked) return;
      clicked = true;
      queueMicrotask(() => {
        const title = document.querySelector<HTMLInputElement>('input[name="title"]');
        // React's root, as it marks its container: still dehydrated, or the
        // click came too late to test anything.
        const rootKey = Object.keys(document).find((key) => key.startsWith("__reactContainer$"));
        const root = rootKey
          ? (document as unknown as Record<string, { memoizedState?: { isDehydrated?: boolean } }>)[rootKey]
          : undefined;
        const dehydrated = root?.memoizedState?.isDehydrated === true;
        title?.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
        (window as unknown as { clickedWhileHydrating?: boolean }).clickedWhileHydrating =
          Boolean(title) && dehydrated;
      });
    };
  });

  await page.goto("/posts/new");
  await page.waitForFunction(
    () => (window as unknown as { clickedWhileHydrating?: boolean }).clickedWhileHydrating,
  );
  const title = page.getByLabel("Title", { exact: true });
  await title.fill("Typed once the page works");

  // Hydrated: choosing a kind other than Success story hides the story
  // details, which only the script does.
  await page.getByLabel("Type", { exact: true }).selectOption({ label: "Question" });
  await expect(page.getByRole("group", { name: "Success story details" })).toBeHidden();
  await expect(title).toHaveValue("Typed once the page works");
});
