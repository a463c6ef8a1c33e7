import { type Page } from "@playwright/test";
import { allowedAttributes, allowedTags, renderMarkdown } from "~/lib/markdown.server";
import { DEEP_NESTING, SLOW_PARSING, hostileMarkdown } from "../fixtures/hostile-markdown";
import { expect, test } from "./fixtures";

// Every fixture's rendered HTML, loaded into one page of the app's origin with
// JavaScript on, must run no script and keep no active element. Independent of
// the forum's data: the page only borrows the origin, through /healthz.

type Xss = { __xss: string[] };

test.use({
  // The renderer is tested on its own: the app's Content-Security-Policy would
  // block inline handlers and javascript: URLs, and so hide a renderer that
  // lets them through.
  bypassCSP: true,
  // Images such as <img src="x"> fail to load (every request but the page's own
  // is aborted); that is the browser's line for a resource, not a script error,
  // which the page fixture still reports through "pageerror".
  allowedConsoleErrors: [/^Failed to load resource: /],
});

test.beforeEach(async ({ page, baseURL }) => {
  const pageUrl = new URL("/healthz", baseURL).href;
  // Nothing leaves the machine, and nothing but this page is fetched from the app.
  await page.route(
    (url) => url.href !== pageUrl,
    (route) => route.abort(),
  );
  await page.addInitScript(() => {
    const record = window as unknown as Xss & Record<string, unknown>;
    record.__xss = [];
    for (const name of ["alert", "confirm", "prompt", "print"]) {
      record[name] = (...args: unknown[]) => {
        record.__xss.push(`${name}(${args.map(String).join(", ")})`);
        return null;
      };
    }
  });
  await page.goto(pageUrl);
});

/** Loads the HTML into the page of the app's origin and collects what ran. */
async function loadAndWatch(page: Page, body: string) {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.setContent(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hostile markdown</title></head><body>${body}</body></html>`,
    { waitUntil: "load" },
  );
  // Handlers such as ontoggle and onbegin fire after load; nothing can be awaited
  // for "nothing happened", so give them a moment.
  await page.waitForTimeout(500);
  const xss = await page.evaluate(() => (window as unknown as Xss).__xss);
  return { dialogs, xss };
}

/** Everything in the sections that a sanitizer should have removed, as Chromium parsed it. */
function findLeaks(options: { tags: string[]; attributes: Record<string, string[]> }) {
  const leaks: { fixture: string; problem: string }[] = [];
  const xhtml = "http://www.w3.org/1999/xhtml";
  // A URL the browser cannot parse stays as written (and goes nowhere): judge it by its text.
  const protocolOf = (url: string) => {
    try {
      return new URL(url).protocol;
    } catch {
      return /^(https?|mailto):/i.exec(url.trim())?.[0].toLowerCase() ?? `unparseable ${url}`;
    }
  };
  for (const element of document.querySelectorAll("*")) {
    const fixture = element.closest("section")?.dataset.fixture ?? "page";
    for (const attribute of element.attributes) {
      if (attribute.name.toLowerCase().startsWith("on")) {
        leaks.push({ fixture, problem: `<${element.localName} ${attribute.name}>` });
      }
    }
  }
  const activeElements =
    "script, iframe, frame, frameset, object, embed, applet, base, meta[http-equiv], link, style, form, " +
    "input, button, textarea, select, isindex, svg, math, template, portal, video, audio, noscript";
  for (const element of document.querySelectorAll(activeElements)) {
    const fixture = element.closest("section")?.dataset.fixture ?? "page";
    leaks.push({ fixture, problem: `a <${element.localName}> element` });
  }
  for (const section of document.querySelectorAll("section")) {
    const fixture = section.dataset.fixture ?? "?";
    for (const element of section.querySelectorAll("*")) {
      const tag = element.localName;
      if (element.namespaceURI !== xhtml || !options.tags.includes(tag)) {
        leaks.push({ fixture, problem: `<${tag}> in ${element.namespaceURI}` });
      }
      for (const attribute of element.attributes) {
        if (!(options.attributes[tag] ?? []).includes(attribute.name)) {
          leaks.push({ fixture, problem: `<${tag} ${attribute.name}="${attribute.value}">` });
        }
      }
    }
    // .href and .src are the URLs as the browser resolved them (an <a> in SVG has
    // no string .href: it is reported above, and its attribute is judged here).
    for (const link of section.querySelectorAll<Element>("a")) {
      const href = link instanceof HTMLAnchorElement ? link.href : link.getAttribute("href");
      if (
        href !== null &&
        link.hasAttribute("href") &&
        !["http:", "https:", "mailto:"].includes(protocolOf(href))
      ) {
        leaks.push({ fixture, problem: `a link to ${href}` });
      }
      const rel = link.getAttribute("rel");
      if (rel !== "nofollow ugc noopener") leaks.push({ fixture, problem: `a link with rel="${rel}"` });
    }
    for (const image of section.querySelectorAll("img")) {
      if (image.hasAttribute("src") && !["http:", "https:"].includes(protocolOf(image.src))) {
        leaks.push({ fixture, problem: `an image from ${image.src}` });
      }
    }
  }
  return { leaks, url: location.href, sections: document.querySelectorAll("section").length };
}

const options = { tags: [...allowedTags], attributes: allowedAttributes };

test("the harness notices markup that runs or leaks", async ({ page }) => {
  const { dialogs, xss } = await loadAndWatch(
    page,
    '<section data-fixture="control"><img src="x" onerror="alert(1)"><a href="javascript:void 0">x</a></section>',
  );

  expect(dialogs).toEqual([]);
  expect(xss).toEqual(["alert(1)"]);
  const { leaks } = await page.evaluate(findLeaks, options);
  expect(leaks.map(({ problem }) => problem)).toEqual(
    expect.arrayContaining(['<img onerror="alert(1)">', "<img onerror>", "a link to javascript:void 0"]),
  );
});

test("rendered hostile markdown runs no script and keeps no active element in Chromium", async ({
  page,
  baseURL,
}) => {
  // The slow inputs take seconds each to render and produce plain text; the unit
  // suite covers them. An input that throws has no output to load: the unit
  // suite fails for it, and only the deep-nesting inputs may do so here.
  const rendered: { name: string; html: string }[] = [];
  const thrown: string[] = [];
  for (const { category, name, source } of hostileMarkdown) {
    if (category === SLOW_PARSING) continue;
    try {
      rendered.push({ name: `${category}: ${name}`, html: renderMarkdown(source) });
    } catch (error) {
      if (category !== DEEP_NESTING) throw error;
      thrown.push(`${name}: ${String(error)}`);
    }
  }
  if (thrown.length > 0) {
    test.info().annotations.push({
      type: "renderMarkdown threw (see the unit suite)",
      description: thrown.join("\n"),
    });
  }
  expect(rendered.length).toBeGreaterThanOrEqual(150);

  const body = rendered
    .map(({ html }, index) => `<section data-fixture="${index}">${html}</section>`)
    .join("\n");
  const { dialogs, xss } = await loadAndWatch(page, body);
  const { leaks, url, sections } = await page.evaluate(findLeaks, options);

  // Soft, so one run names every leak at once.
  expect.soft(dialogs, "dialogs opened").toEqual([]);
  expect.soft(xss, "alert, confirm, prompt or print called").toEqual([]);
  expect.soft(url, "the page navigated away").toBe(new URL("/healthz", baseURL).href);
  expect.soft(sections).toBe(rendered.length);
  expect
    .soft(leaks.map(({ fixture, problem }) => `${rendered[Number(fixture)]?.name ?? fixture}: ${problem}`))
    .toEqual([]);
});
