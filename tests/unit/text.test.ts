import { describe, expect, it } from "vitest";
import { plainExcerpt, slugify } from "~/lib/text";

describe("plainExcerpt", () => {
  it("leaves short plain text unchanged", () => {
    expect(plainExcerpt("A short note about story time.")).toBe("A short note about story time.");
  });

  it("keeps a link's text and drops its URL", () => {
    expect(plainExcerpt("See [our events page](https://library.example/events) today")).toBe(
      "See our events page today",
    );
  });

  it("keeps an image's alt text and drops its URL", () => {
    expect(plainExcerpt("Look: ![A stack of books](https://images.example/books.png) here")).toBe(
      "Look: A stack of books here",
    );
  });

  it("drops fenced code blocks", () => {
    expect(plainExcerpt("Before\n\n```js\nconst secret = 1;\n```\n\nAfter")).toBe("Before After");
  });

  it("drops emphasis and inline code markers but keeps their text", () => {
    expect(plainExcerpt("Some *soft*, **loud**, _under_, ~~gone~~ and `code` words")).toBe(
      "Some soft, loud, under, gone and code words",
    );
  });

  it("removes heading markers", () => {
    expect(plainExcerpt("# Title\n\n### Subtitle\n\nBody")).toBe("Title Subtitle Body");
  });

  it("removes quote markers", () => {
    expect(plainExcerpt("> Quoted line\n> second line")).toBe("Quoted line second line");
  });

  it("removes bullet and number list markers", () => {
    expect(plainExcerpt("- one\n* two\n+ three\n1. four\n10. five")).toBe("one two three four five");
  });

  it("removes HTML tags", () => {
    expect(plainExcerpt("Hello <b>bold</b> world")).toBe("Hello bold world");
  });

  it("joins lines and collapses whitespace", () => {
    expect(plainExcerpt("  one\n\n\ttwo   three  \n")).toBe("one two three");
  });

  it("cuts long text at a word boundary and adds an ellipsis", () => {
    const text = Array.from({ length: 60 }, (_, index) => `word${index}`).join(" ");
    const excerpt = plainExcerpt(text, 50);

    expect(excerpt.endsWith("…")).toBe(true);
    const kept = excerpt.slice(0, -1);
    expect(kept.length).toBeLessThanOrEqual(50);
    expect(text.startsWith(kept)).toBe(true);
    expect(text.charAt(kept.length)).toBe(" ");
    expect(kept.endsWith(" ")).toBe(false);
  });

  it("cuts at 200 characters by default", () => {
    const text = "lorem ipsum ".repeat(50);
    const excerpt = plainExcerpt(text);

    expect(excerpt.length).toBeLessThanOrEqual(201);
    expect(excerpt.endsWith("…")).toBe(true);
    expect(excerpt).toMatch(/(lorem|ipsum)…$/);
  });

  it("does not cut text exactly at the limit", () => {
    const text = "a".repeat(200);

    expect(plainExcerpt(text)).toBe(text);
  });

  it("cuts inside a very long word rather than leaving almost nothing", () => {
    const text = `short ${"x".repeat(300)}`;
    const excerpt = plainExcerpt(text, 100);

    expect(excerpt).toBe(`${text.slice(0, 100)}…`);
  });

  it("removes markers from nested quotes", () => {
    expect(plainExcerpt("> > Quoted twice")).toBe("Quoted twice");
  });

  it("returns an empty string for markup only", () => {
    expect(plainExcerpt("```\ncode only\n```")).toBe("");
  });
});

describe("slugify", () => {
  it("lowercases words and joins them with hyphens", () => {
    expect(slugify("Summer Reading Kickoff")).toBe("summer-reading-kickoff");
  });

  it("folds accents to plain letters", () => {
    expect(slugify("Café Crème à la Bibliothèque")).toBe("cafe-creme-a-la-bibliotheque");
    expect(slugify("Niño Señor Über")).toBe("nino-senor-uber");
  });

  it("turns runs of punctuation and spaces into one hyphen", () => {
    expect(slugify("Books, zines & comics!! (2026 edition)")).toBe("books-zines-comics-2026-edition");
  });

  it("has no leading or trailing hyphens", () => {
    expect(slugify("  --- Hello, world! ---  ")).toBe("hello-world");
  });

  it("is at most 80 characters and does not end on a hyphen after cutting", () => {
    const slug = slugify(`${"a".repeat(79)} bcd`);

    expect(slug).toBe("a".repeat(79));
    expect(slugify("word ".repeat(40)).length).toBeLessThanOrEqual(80);
    for (let length = 70; length <= 90; length++) {
      const cut = slugify(`${"ab ".repeat(length)}`);
      expect(cut.length).toBeLessThanOrEqual(80);
      expect(cut).not.toMatch(/^-|-$/);
    }
  });

  it('falls back to "post" when nothing is left', () => {
    expect(slugify("")).toBe("post");
    expect(slugify("!!! ???")).toBe("post");
    expect(slugify("日本語のタイトル")).toBe("post");
  });

  it("keeps digits", () => {
    expect(slugify("Top 10 picks for 2026")).toBe("top-10-picks-for-2026");
  });
});

describe("slugify: the thread's own pages", () => {
  it.each(["Edit", "Revisions!", "new", "feed"])("never gives the slug of another page for %j", (title) => {
    expect(["edit", "revisions", "new", "feed"]).not.toContain(slugify(title));
    expect(slugify(title)).toMatch(/-post$/);
  });
});
