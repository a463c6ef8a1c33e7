import zlib from "node:zlib";
import { beforeEach, describe, expect, it } from "vitest";
import {
  matchesValidator,
  VISITOR_PAGE_MAX_AGE_MS,
  visitorPageKey,
  visitorPages,
  type VisitorPage,
} from "~/lib/visitor-pages.server";

function page(text: string, bytes = text.length): VisitorPage {
  return {
    status: 200,
    headers: [["content-type", "text/html; charset=utf-8"]],
    body: Buffer.alloc(bytes, text),
    etag: `W/"${text}"`,
  };
}

const visitor = { method: "GET", host: "forum.example", path: "/posts/1/a-thread", cookie: undefined };

describe("the visitors' page store", () => {
  beforeEach(() => {
    visitorPages.configure(1);
    visitorPages.trustNotifications(true);
  });

  it("keeps a page for its address and gives it back", () => {
    const ticket = visitorPages.ticket("a")!;
    expect(visitorPages.keep(ticket, page("first"))).toBe(true);
    expect(visitorPages.find("a")?.body.toString()).toBe("first");
    expect(visitorPages.find("b")).toBeUndefined();
  });

  it("keeps a page compressed with brotli and gzip too, each giving back the page's bytes", () => {
    const html = `<ol>${Array.from({ length: 200 }, (_, n) => `<li>Reply ${n}: we tried this too.</li>`).join("")}</ol>`;
    const kept = { ...page("x"), body: Buffer.from(html) };
    visitorPages.keep(visitorPages.ticket("a")!, kept);
    const found = visitorPages.find("a")!;
    expect(zlib.brotliDecompressSync(found.encoded.br).toString()).toBe(html);
    expect(zlib.gunzipSync(found.encoded.gzip).toString()).toBe(html);
    expect(found.encoded.br.length).toBeLessThan(html.length / 5);
    expect(found.encoded.gzip.length).toBeLessThan(html.length / 5);
  });

  it("forgets every page when something changes, and refuses a page read before the change", () => {
    const before = visitorPages.ticket("a")!;
    visitorPages.keep(visitorPages.ticket("b")!, page("kept"));
    visitorPages.invalidate();
    expect(visitorPages.find("b")).toBeUndefined();
    expect(visitorPages.keep(before, page("stale"))).toBe(false);
    expect(visitorPages.find("a")).toBeUndefined();
  });

  it("serves a page for at most its maximum age, so relative times stay true", () => {
    const storedAt = 1_000_000;
    visitorPages.keep(visitorPages.ticket("a")!, page("timed"), storedAt);
    expect(visitorPages.find("a", storedAt + VISITOR_PAGE_MAX_AGE_MS)).toBeDefined();
    expect(visitorPages.find("a", storedAt + VISITOR_PAGE_MAX_AGE_MS + 1)).toBeUndefined();
  });

  it("neither serves nor keeps while changes made elsewhere could not be heard", () => {
    visitorPages.keep(visitorPages.ticket("a")!, page("before"));
    const ticket = visitorPages.ticket("b")!;
    visitorPages.trustNotifications(false);
    expect(visitorPages.find("a")).toBeUndefined();
    expect(visitorPages.ticket("c")).toBeUndefined();
    expect(visitorPages.keep(ticket, page("meanwhile"))).toBe(false);
    visitorPages.trustNotifications(true);
    expect(visitorPages.find("a")).toBeUndefined();
  });

  it("stays within its memory, forgetting the least recently used page", () => {
    visitorPages.keep(visitorPages.ticket("old")!, page("o", 400_000));
    visitorPages.keep(visitorPages.ticket("used")!, page("u", 400_000));
    visitorPages.find("old");
    visitorPages.keep(visitorPages.ticket("new")!, page("n", 400_000));
    expect(visitorPages.find("old")).toBeDefined();
    expect(visitorPages.find("used")).toBeUndefined();
    expect(visitorPages.find("new")).toBeDefined();
  });

  it("is off with no memory: nothing is kept", () => {
    visitorPages.configure(0);
    visitorPages.trustNotifications(true);
    expect(visitorPages.enabled).toBe(false);
    expect(visitorPages.ticket("a")).toBeUndefined();
  });
});

describe("which requests may be answered from the store", () => {
  it("a visitor's GET, keyed by host and address with its query", () => {
    expect(visitorPageKey(visitor)).toBe("forum.example /posts/1/a-thread");
    expect(visitorPageKey({ ...visitor, path: "/posts/1/a-thread?page=2" })).toBe(
      "forum.example /posts/1/a-thread?page=2",
    );
    expect(visitorPageKey({ ...visitor, cookie: "theme=dark" })).toBeDefined();
  });

  it("never a request with a session cookie, in development or production, or anything but a GET", () => {
    expect(visitorPageKey({ ...visitor, cookie: "crosswalk-session=abc" })).toBeUndefined();
    expect(
      visitorPageKey({ ...visitor, cookie: "theme=dark; __Host-crosswalk-session=abc" }),
    ).toBeUndefined();
    expect(visitorPageKey({ ...visitor, method: "POST" })).toBeUndefined();
    expect(visitorPageKey({ ...visitor, method: "HEAD" })).toBeUndefined();
  });

  it("If-None-Match matches the page's validator among several, or *", () => {
    expect(matchesValidator('W/"x", W/"page"', 'W/"page"')).toBe(true);
    expect(matchesValidator("*", 'W/"page"')).toBe(true);
    expect(matchesValidator('W/"other"', 'W/"page"')).toBe(false);
    expect(matchesValidator(undefined, 'W/"page"')).toBe(false);
  });
});
