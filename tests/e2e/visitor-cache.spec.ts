import fs from "node:fs";
import { copySeededDataDir, makeDataDir, startApp } from "./app-server";
import { expect, test } from "./fixtures";
import { demoMembers, logInAs, postComment, publishPost, replyBox, uniqueTitle } from "./writing-helpers";

// Visitors' pages are kept in memory until something a visitor could see
// changes (docs/decisions/030-visitor-page-cache.md). Fetches from the test
// itself carry no cookie: they are a visitor. Dev Patel, a moderator, writes
// without the demo members' rate limits.

async function asVisitor(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

test("a visitor's page is kept until a reply changes it, and the reply shows on the very next visit", async ({
  page,
  baseURL,
}) => {
  const dev = demoMembers.dev;
  await logInAs(page, dev);
  const title = uniqueTitle("Which databases does your school library subscribe to");
  const threadPath = await publishPost(page, {
    title,
    kind: "Question",
    body: "We are comparing notes before the district renews its subscriptions.",
  });
  const threadUrl = `${baseURL}${threadPath}`;

  const first = await asVisitor(threadUrl);
  expect(first.status).toBe(200);
  expect(first.headers.get("x-visitor-cache")).toBe("miss");
  const second = await asVisitor(threadUrl);
  expect(second.headers.get("x-visitor-cache")).toBe("hit");
  expect(second.body).toBe(first.body);
  expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
  expect(second.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
  // The per-request headers are still the request's own.
  expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
  expect(second.headers.get("content-security-policy")).toContain("default-src 'self'");

  const unchanged = await asVisitor(threadUrl, { "If-None-Match": first.headers.get("etag")! });
  expect(unchanged.status).toBe(304);
  expect(unchanged.body).toBe("");

  const replyText = `We subscribe to two encyclopedias and a newspaper archive (${Date.now()}).`;
  await postComment(page, replyBox(page), dev, replyText);

  const afterReply = await asVisitor(threadUrl);
  expect(afterReply.headers.get("x-visitor-cache")).toBe("miss");
  expect(afterReply.body).toContain(replyText);
  expect(afterReply.headers.get("etag")).not.toBe(first.headers.get("etag"));
  const keptAgain = await asVisitor(threadUrl);
  expect(keptAgain.headers.get("x-visitor-cache")).toBe("hit");
  expect(keptAgain.body).toContain(replyText);

  // The moderator's own page is theirs: rendered for them, never taken from the visitors' store.
  const memberPage = await page.request.get(threadPath);
  expect(memberPage.headers()["x-visitor-cache"]).toBeUndefined();
  expect(memberPage.headers()["cache-control"]).toBe("private, no-cache");
  expect(await memberPage.text()).toContain("Log out");
});

test("with the cache off every page is rendered, and with REPORT_REQUEST_WORK a kept page reports no work", async () => {
  const dataDir = makeDataDir();
  try {
    copySeededDataDir(dataDir);
    for (const [cacheSize, expected] of [
      ["32", ["statements=1", "statements=0"]],
      ["0", ["statements=1", "statements=1"]],
    ] as const) {
      const app = await startApp({
        DATA_DIR: dataDir,
        DATABASE_URL: "",
        REPORT_REQUEST_WORK: "1",
        VISITOR_CACHE_MB: cacheSize,
      });
      try {
        const threadUrl = `${app.url}/posts/1`;
        const answers = [await fetch(threadUrl), await fetch(threadUrl)];
        expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
        expect(answers.map((answer) => answer.headers.get("x-request-work")?.split(",")[0])).toEqual(
          expected,
        );
        const [first, second] = await Promise.all(answers.map((answer) => answer.text()));
        expect(second).toBe(first);
      } finally {
        await app.stop();
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
