import { describe, expect, it } from "vitest";
import { demoPosts } from "~/db/demo-content";
import { formatIsbn, isbn10To13, parseIsbn } from "~/lib/isbn";

describe("parseIsbn", () => {
  it.each([
    ["978-0-06-440055-8", "9780064400558"], // Charlotte's Web
    ["978 1 4169 3647 3", "9781416936473"], // Hatchet
    ["9780375869020", "9780375869020"], // Wonder
    ["ISBN 978-0-544-33626-1", "9780544336261"], // The Giver
    ["979-10-90636-07-1", "9791090636071"], // a 979 prefix
  ])("reads the ISBN-13 %s", (input, expected) => {
    expect(parseIsbn(input)).toEqual({ ok: true, isbn13: expected });
  });

  it.each([
    ["0-06-440055-7", "9780064400558"], // Charlotte's Web, as printed before 2007
    ["0 306 40615 2", "9780306406157"],
    ["0-8044-2957-X", "9780804429573"], // a check character of X
    ["0-8044-2957-x", "9780804429573"],
  ])("converts the ISBN-10 %s to ISBN-13", (input, expected) => {
    expect(parseIsbn(input)).toEqual({ ok: true, isbn13: expected });
  });

  it("finds a mistyped digit through the check digit", () => {
    expect(parseIsbn("978-0-06-440055-9")).toEqual({ ok: false, problem: "check-digit" });
    expect(parseIsbn("978-0-06-440565-8")).toEqual({ ok: false, problem: "check-digit" });
    expect(parseIsbn("0-06-440055-8")).toEqual({ ok: false, problem: "check-digit" });
    expect(parseIsbn("0-306-40615-X")).toEqual({ ok: false, problem: "check-digit" });
  });

  it("refuses a 13-digit number that is not a book's", () => {
    expect(parseIsbn("4006381333931")).toEqual({ ok: false, problem: "prefix" });
  });

  it.each(["", "12345", "978-0-06-440055", "97800644005581", "X-06-440055-7", "978006440055X", "abc"])(
    "refuses %j as not an ISBN",
    (input) => {
      expect(parseIsbn(input)).toEqual({ ok: false, problem: "format" });
    },
  );
});

describe("isbn10To13 and formatIsbn", () => {
  it("prefixes 978 and computes the new check digit", () => {
    expect(isbn10To13("0306406152")).toBe("9780306406157");
  });

  it("shows the prefix apart, so the rest is never read as a number", () => {
    expect(formatIsbn("9780064400558")).toBe("978-0064400558");
    expect(parseIsbn(formatIsbn("9780064400558"))).toEqual({ ok: true, isbn13: "9780064400558" });
  });
});

describe("the demo booklists", () => {
  const lists = demoPosts.flatMap((post) => (post.booklist ? [post.booklist] : []));

  it("are two, sharing a book, every ISBN with a good check digit", () => {
    expect(lists).toHaveLength(2);
    const isbns = lists.map((list) => new Set(list.flatMap((book) => (book.isbn ? [book.isbn] : []))));
    expect([...isbns[0]!].filter((isbn) => isbns[1]!.has(isbn))).toHaveLength(1);
    for (const book of lists.flat()) {
      if (book.isbn) expect(parseIsbn(book.isbn), book.title).toEqual({ ok: true, isbn13: book.isbn });
    }
  });
});
