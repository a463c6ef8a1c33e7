import fs from "node:fs";
import { copySeededDataDir, makeDataDir, startApp } from "./app-server";
import { expect, test } from "./fixtures";
import { fillLogInForm } from "./accounts-helpers";
import {
  DEMO_PASSWORD,
  demoMembers,
  fillPostForm,
  postComment,
  replyBox,
  uniqueTitle,
} from "./writing-helpers";

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
}) => {
  // A server of its own: another journey's form on the shared one would empty the cache between two visits.
  const dataDir = makeDataDir();
  const app = await startApp({ DATA_DIR: copySeededDataDir(dataDir), DATABASE_URL: "" });
  try {
    const dev = demoMembers.dev;
    await page.goto(`${app.url}/login?redirectTo=/posts/new`);
    await fillLogInForm(page, dev.email, DEMO_PASSWORD);
    const title = uniqueTitle("Which databases does your school library subscribe to");
    await fillPostForm(page, {
      title,
      kind: "Question",
      body: "We are comparing notes before the district renews its subscriptions.",
    });
    await page.getByRole("button", { name: "Publish" }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const threadPath = new URL(page.url()).pathname;
    const threadUrl = `${app.url}${threadPath}`;

    const first = await asVisitor(threadUrl);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-visitor-cache")).toBe("miss");
    const second = await asVisitor(threadUrl);
    expect(second.headers.get("x-visitor-cache")).toBe("hit");
    expect(second.body).toBe(first.body);
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");

    // Kept compressed: the same page, brotli for a browser, gzip for a client that asks only for gzip.
    const forBrowser = await asVisitor(threadUrl, { "Accept-Encoding": "gzip, deflate, br, zstd" });
    expect(forBrowser.headers.get("x-visitor-cache")).toBe("hit");
    expect(forBrowser.headers.get("content-encoding")).toBe("br");
    expect(forBrowser.body).toBe(first.body);
    const forGzipClient = await asVisitor(threadUrl, { "Accept-Encoding": "gzip" });
    expect(forGzipClient.headers.get("content-encoding")).toBe("gzip");
    expect(forGzipClient.headers.get("vary")).toContain("Accept-Encoding");
    expect(forGzipClient.body).toBe(first.body);
    // Compressed when kept, not per answer: the compressed length is known before the answer starts.
    for (const compressed of [forBrowser, forGzipClient]) {
      const length = Number(compressed.headers.get("content-length"));
      expect(length).toBeGreaterThan(0);
      expect(length).toBeLessThan(Buffer.byteLength(first.body) / 2);
    }
    const uncompressed = await asVisitor(threadUrl, { "Accept-Encoding": "identity" });
    expect(uncompressed.headers.get("content-encoding")).toBeNull();
    expect(uncompressed.body).toBe(first.body);

    const unchanged = await asVisitor(threadUrl, { "If-None-Match": first.headers.get("etag")! });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe("");

    // A session cookie that is not valid is still never answered from the visitors' store.
    const strangerCookie = await asVisitor(threadUrl, { Cookie: "__Host-crosswalk-session=forged" });
    expect(strangerCookie.headers.get("x-visitor-cache")).toBeNull();
    // A refused form (no body) writes nothing and forgets nothing.
    const refused = await page.request.post(`${app.url}${threadPath}`, { form: { body: "" } });
    expect(refused.status()).toBe(400);
    expect((await asVisitor(threadUrl)).headers.get("x-visitor-cache")).toBe("hit");

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
    const memberPage = await page.request.get(threadUrl);
    expect(memberPage.headers()["x-visitor-cache"]).toBeUndefined();
    expect(memberPage.headers()["cache-control"]).toBe("private, no-cache");
    expect(await memberPage.text()).toContain("Log out");
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
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
