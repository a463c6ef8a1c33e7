import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { PRIVACY_CONFIRMATION_FIELD } from "~/components/privacy-notice";
import { comments, posts } from "~/db/schema";
import { booklistFromCsv, readCsv, type BooklistRow } from "~/lib/booklist";
import { getDb } from "~/lib/db.server";
import { listCommentBooklist, listPostBooklist, replacePostBooklist } from "~/models/booklists.server";
import { decide } from "~/models/moderation.server";
import { loader as booklistsLoader } from "~/routes/booklists";
import { action as editCommentAction, loader as editCommentLoader } from "~/routes/comments.$commentId.edit";
import { action as editPostAction, loader as editPostLoader } from "~/routes/posts.$postId.edit";
import { action as threadAction, loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { loader as csvLoader } from "~/routes/posts.$postId.booklist[.]csv";
import { action as newPostAction } from "~/routes/posts.new";
import { joinAs } from "../support/accounts";
import { createMember, createPost } from "../support/factories";
import { joinedAccount, type Account } from "../support/member-actions";
import { callLoader, submitForm, thrownResponse } from "../support/requests";

type ComposerAnswer = { errors: Record<string, string[] | undefined>; values: Record<string, string> };

let keySequence = 0;
const submissionKey = () => `booklists-${process.pid}-${++keySequence}-abcdefgh`;

/** Form fields for booklist rows, as the editor names them. */
function bookFields(rows: Partial<Record<"title" | "author" | "isbn" | "grade" | "note", string>>[]) {
  const fields: Record<string, string> = {};
  rows.forEach((row, index) => {
    for (const field of ["title", "author", "isbn", "grade", "note"] as const) {
      fields[`book[${index}][${field}]`] = row[field] ?? "";
    }
  });
  return fields;
}

function submitPost(account: Account | { cookie: string }, fields: Record<string, string>) {
  return submitForm<ComposerAnswer>(
    newPostAction,
    "/posts/new",
    {
      intent: "publish",
      title: "Our fourth-grade unit booklist",
      kind: "idea",
      body: "The books we pulled for the unit.",
      tags: "booklists",
      submissionKey: submissionKey(),
      ...fields,
    },
    { cookie: account.cookie },
  );
}

async function publishWithBooklist(account: Account | { cookie: string }, fields: Record<string, string>) {
  const answer = await submitPost(account, fields);
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  const [, id, slug] = /^\/posts\/(\d+)\/([a-z0-9-]+)$/.exec(answer.location ?? "") ?? [];
  return { id: Number(id), slug: slug! };
}

const searchBooks = (query: string) => callLoader(booklistsLoader, `/booklists${query}`);

async function csvOf(postId: number) {
  return callLoader(csvLoader, `/posts/${postId}/booklist.csv`, {
    postId: String(postId),
  }) as Promise<Response>;
}

beforeAll(async () => {
  // The first account becomes admin, who is never held: take it here so the members below are members.
  await joinAs();
});

describe("writing a booklist", () => {
  it("stores the rows in order, the ISBN-10 as ISBN-13, and leaves empty rows out", async () => {
    const author = await joinedAccount();
    const post = await publishWithBooklist(author, {
      ...bookFields([
        { title: "Charlotte's Web", author: "E. B. White", isbn: "0-06-440055-7", grade: "3_5" },
        {},
        { title: "Hatchet", author: "Gary Paulsen", isbn: "978 1 4169 3647 3", note: "Survival unit" },
        { title: "  Wonder  " },
      ]),
    });
    expect(await listPostBooklist(post.id)).toEqual([
      { title: "Charlotte's Web", author: "E. B. White", isbn: "9780064400558", gradeBand: "3_5", note: "" },
      {
        title: "Hatchet",
        author: "Gary Paulsen",
        isbn: "9781416936473",
        gradeBand: null,
        note: "Survival unit",
      },
      { title: "Wonder", author: "", isbn: null, gradeBand: null, note: "" },
    ]);
    const thread = await callLoader(threadLoader, `/posts/${post.id}`, { postId: String(post.id) });
    expect(thread.booklist.map((row) => row.title)).toEqual(["Charlotte's Web", "Hatchet", "Wonder"]);
  });

  it("refuses a wrong check digit with the row's message and keeps everything typed", async () => {
    const author = await joinedAccount();
    const typed = {
      title: "A booklist with a typo in it",
      ...bookFields([
        { title: "Charlotte's Web", isbn: "0-06-440055-7" },
        { title: "Hatchet", author: "Gary Paulsen" },
        { title: "Wonder", author: "R. J. Palacio", isbn: "978-0-375-86902-1", note: "Kindness" },
        { author: "Nobody", note: "no title here" },
      ]),
    };
    const answer = await submitPost(author, typed);
    expect(answer.status).toBe(400);
    expect(answer.data?.errors["book[2][isbn]"]).toEqual([
      "Row 3: this ISBN's check digit is wrong — check for a typo.",
    ]);
    expect(answer.data?.errors["book[3][title]"]).toEqual(["Row 4: give the book's title."]);
    expect(answer.data?.values).toMatchObject(typed);
    const stored = await getDb().select().from(posts).where(eq(posts.title, typed.title));
    expect(stored).toHaveLength(0);
  });

  it("adds and removes rows without saving, keeping everything else typed", async () => {
    const author = await joinedAccount();
    const typed = {
      title: "A draft booklist, not yet published",
      body: "Still collecting titles.",
      ...bookFields([{ title: "Hatchet", author: "Gary Paulsen" }]),
    };
    const added = await submitPost(author, { ...typed, intent: "booklist-add" });
    expect(added.status).toBe(200);
    expect(added.data?.values).toMatchObject({
      ...typed,
      "book[1][title]": "",
      "book[1][isbn]": "",
    });

    const removed = await submitPost(author, {
      ...typed,
      ...bookFields([{ title: "Hatchet" }, { title: "Wonder" }, { title: "Holes", note: "Louis Sachar" }]),
      intent: "booklist-remove-2",
    });
    expect(removed.status).toBe(200);
    expect(removed.data?.values).toMatchObject({
      title: typed.title,
      body: typed.body,
      "book[0][title]": "Hatchet",
      "book[1][title]": "Holes",
      "book[1][note]": "Louis Sachar",
    });
    expect(removed.data?.values).not.toHaveProperty("book[2][title]");
    const stored = await getDb().select().from(posts).where(eq(posts.title, typed.title));
    expect(stored).toHaveLength(0);
  });

  it("shows the list in the editor and replaces it on save", async () => {
    const author = await joinedAccount();
    const post = await publishWithBooklist(author, {
      ...bookFields([{ title: "Hatchet", isbn: "9781416936473" }, { title: "Holes" }]),
    });
    const params = { postId: String(post.id) };
    const editing = await callLoader(editPostLoader, `/posts/${post.id}/edit`, params, author);
    expect(editing.values).toMatchObject({ "book[0][isbn]": "978-1416936473", "book[1][title]": "Holes" });

    const saved = await submitForm(
      editPostAction,
      `/posts/${post.id}/edit`,
      {
        intent: "publish",
        title: "Our fourth-grade unit booklist, revised",
        kind: "idea",
        body: "Fewer books, better ones.",
        tags: "",
        ...bookFields([{ title: "Holes", author: "Louis Sachar", grade: "6_8" }]),
      },
      { cookie: author.cookie, params },
    );
    expect(saved.status).toBe(302);
    expect(await listPostBooklist(post.id)).toEqual([
      { title: "Holes", author: "Louis Sachar", isbn: null, gradeBand: "6_8", note: "" },
    ]);
  });
});

function submitReply(account: { cookie: string }, postId: number, fields: Record<string, string>) {
  return submitForm<ComposerAnswer & { form: string; privacyConcerns?: unknown[] }>(
    threadAction,
    `/posts/${postId}`,
    { body: "Here are the ones that worked for us.", submissionKey: submissionKey(), ...fields },
    { cookie: account.cookie, params: { postId: String(postId) } },
  );
}

const commentIdOf = (answer: { location?: string | null }) =>
  Number(/#comment-(\d+)$/.exec(answer.location ?? "")?.[1]);

const commentsOf = (postId: number) =>
  getDb().select({ id: comments.id }).from(comments).where(eq(comments.postId, postId));

describe("a booklist on a reply", () => {
  it("stores the rows in order with the comment, once for the same form sent twice, and shows them under it", async () => {
    const author = await joinedAccount();
    const post = await createPost(author.user, { title: "Which books for a marsh unit?" });
    const replier = await joinedAccount();
    const fields = {
      submissionKey: submissionKey(),
      ...bookFields([
        { title: "Charlotte's Web", author: "E. B. White", isbn: "0-06-440055-7", grade: "3_5" },
        {},
        { title: "Holes", note: "A class favourite" },
      ]),
    };
    const first = await submitReply(replier, post.id, fields);
    expect(first.status, JSON.stringify(first.data)).toBe(302);
    const again = await submitReply(replier, post.id, fields);
    expect(again.location).toBe(first.location);
    const commentId = commentIdOf(first);
    expect(await commentsOf(post.id)).toHaveLength(1);
    expect(await listCommentBooklist(commentId)).toEqual([
      { title: "Charlotte's Web", author: "E. B. White", isbn: "9780064400558", gradeBand: "3_5", note: "" },
      { title: "Holes", author: "", isbn: null, gradeBand: null, note: "A class favourite" },
    ]);

    const plainReply = await submitReply(replier, post.id, { body: "And no list on this one." });
    expect(plainReply.status).toBe(302);
    const thread = await callLoader(threadLoader, `/posts/${post.id}`, { postId: String(post.id) });
    expect(thread.booklist).toEqual([]);
    expect(thread.commentBooklists[commentId]?.map((row) => row.title)).toEqual(["Charlotte's Web", "Holes"]);
    expect(thread.commentBooklists[commentIdOf(plainReply)]).toBeUndefined();
  });

  it("adds and removes rows without saving, keeping the draft and its parent", async () => {
    const author = await joinedAccount();
    const post = await createPost(author.user);
    const replier = await joinedAccount();
    const parentId = commentIdOf(await submitReply(author, post.id, { body: "Any picture books?" }));
    const draft = { body: "Try these.", parentId: String(parentId) };

    const added = await submitReply(replier, post.id, {
      ...draft,
      intent: "booklist-add",
      ...bookFields([{ title: "Hatchet" }]),
    });
    expect(added.status).toBe(200);
    expect(added.data?.form).toBe("comment");
    expect(added.data?.values).toMatchObject({
      ...draft,
      "book[0][title]": "Hatchet",
      "book[1][title]": "",
    });

    const removed = await submitReply(replier, post.id, {
      ...draft,
      intent: "booklist-remove-1",
      ...bookFields([{ title: "Hatchet" }, { title: "Holes", author: "Louis Sachar" }]),
    });
    expect(removed.status).toBe(200);
    expect(removed.data?.values).toMatchObject({
      ...draft,
      "book[0][title]": "Holes",
      "book[0][author]": "Louis Sachar",
    });
    expect(removed.data?.values).not.toHaveProperty("book[1][title]");
    expect(await commentsOf(post.id)).toHaveLength(1);
  });

  it("refuses a bad ISBN with 400, keeping the draft and every row", async () => {
    const author = await joinedAccount();
    const post = await createPost(author.user);
    const replier = await joinedAccount();
    const typed = {
      body: "My list, with a typo.",
      ...bookFields([{ title: "Hatchet" }, { title: "Wonder", isbn: "978-0-375-86902-1", note: "Kindness" }]),
    };
    const answer = await submitReply(replier, post.id, typed);
    expect(answer.status).toBe(400);
    expect(answer.data?.errors["book[1][isbn]"]).toEqual([
      "Row 2: this ISBN's check digit is wrong — check for a typo.",
    ]);
    expect(answer.data?.values).toMatchObject(typed);
    expect(await commentsOf(post.id)).toHaveLength(0);
  });

  it("keeps the rows through the privacy check", async () => {
    const author = await joinedAccount();
    const post = await createPost(author.user);
    const replier = await joinedAccount();
    const typed = {
      body: "Maya Lopez in 4th grade loved this one.",
      ...bookFields([{ title: "Hatchet" }]),
    };
    const answer = await submitReply(replier, post.id, typed);
    expect(answer.status).toBe(400);
    expect(answer.data?.privacyConcerns).not.toHaveLength(0);
    expect(answer.data?.values).toMatchObject(typed);
    expect(await commentsOf(post.id)).toHaveLength(0);

    const confirmed = await submitReply(replier, post.id, { ...typed, [PRIVACY_CONFIRMATION_FIELD]: "yes" });
    expect(confirmed.status).toBe(302);
    expect(await listCommentBooklist(commentIdOf(confirmed))).toHaveLength(1);
  });

  it("leaves a held reply's books out of /booklists until it is approved", async () => {
    const author = await joinedAccount();
    const post = await createPost(author.user);
    const newcomer = await joinAs();
    const answer = await submitReply(newcomer, post.id, {
      ...bookFields([{ title: "Marsh herons of the lowland fen", isbn: "978-1-4028-9462-6" }]),
    });
    expect(answer.status, JSON.stringify(answer.data)).toBe(302);
    const commentId = commentIdOf(answer);
    const [row] = await getDb()
      .select({ status: comments.status })
      .from(comments)
      .where(eq(comments.id, commentId));
    expect(row?.status).toBe("pending");
    expect((await searchBooks("?q=herons")).books).toEqual([]);
    const visitorView = await callLoader(threadLoader, `/posts/${post.id}`, { postId: String(post.id) });
    expect(visitorView.commentBooklists[commentId]).toBeUndefined();

    const moderator = await joinedAccount("moderator");
    expect(await decide({ kind: "comment", id: commentId }, "approve", moderator.user.id)).toEqual({
      ok: true,
    });
    const found = await searchBooks("?q=herons");
    expect(found.books.map((book) => book.lists)).toEqual([
      [{ postId: post.id, slug: post.slug, postTitle: post.title, commentId }],
    ]);
  });

  it("shows the list in the comment editor and replaces it on save", async () => {
    const author = await joinedAccount();
    const post = await createPost(author.user);
    const commentId = commentIdOf(
      await submitReply(author, post.id, { ...bookFields([{ title: "Hatchet", isbn: "9780689840920" }]) }),
    );
    const params = { commentId: String(commentId) };
    const editing = await callLoader(editCommentLoader, `/comments/${commentId}/edit`, params, author);
    expect(editing.booklistValues).toMatchObject({ "book[0][title]": "Hatchet" });

    const added = await submitForm<ComposerAnswer>(
      editCommentAction,
      `/comments/${commentId}/edit`,
      { intent: "booklist-add", body: "Edited.", ...bookFields([{ title: "Hatchet" }]) },
      { cookie: author.cookie, params },
    );
    expect(added.status).toBe(200);
    expect(added.data?.values).toMatchObject({ body: "Edited.", "book[1][title]": "" });

    const saved = await submitForm(
      editCommentAction,
      `/comments/${commentId}/edit`,
      { intent: "save", body: "Edited.", ...bookFields([{ title: "Holes", grade: "6_8" }]) },
      { cookie: author.cookie, params },
    );
    expect(saved.status).toBe(302);
    expect(await listCommentBooklist(commentId)).toEqual([
      { title: "Holes", author: "", isbn: null, gradeBand: "6_8", note: "" },
    ]);
  });
});

describe("the CSV download", () => {
  const awkward: BooklistRow[] = [
    {
      title: 'The "Best" Book, Volume 2',
      author: "Lowry, Lois",
      isbn: "9780544336261",
      gradeBand: "6_8",
      note: "Line one\nline two\r\nline three",
    },
    {
      title: "Élodie et le dragon",
      author: "中文 作者",
      isbn: null,
      gradeBand: "k_2",
      note: "Loved it 📚🐉",
    },
    {
      title: '=HYPERLINK("http://evil.example","Click")',
      author: "+1",
      isbn: null,
      gradeBand: null,
      note: "-2",
    },
    { title: "@SUM(A1)", author: "'quoted already", isbn: null, gradeBand: "all_ages", note: "" },
  ];

  it("reads back equal, with quotes, commas, line breaks and Unicode intact", async () => {
    const author = await joinedAccount();
    const post = await createPost(author.user, { title: "A list with awkward characters" });
    await replacePostBooklist(getDb(), post.id, awkward);

    const response = await csvOf(post.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(
      'attachment; filename="a-list-with-awkward-characters-booklist.csv"',
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A UTF-8 byte order mark, so Excel reads the file as UTF-8.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);

    expect(booklistFromCsv(text)).toEqual(awkward);
    expect(text).toContain('"The ""Best"" Book, Volume 2","Lowry, Lois",978-0544336261,6–8,');
    expect(text).toContain('"Line one\nline two\r\nline three"\r\n');
  });

  it("neutralises cells a spreadsheet would run as formulas", async () => {
    const author = await joinedAccount();
    const post = await createPost(author.user, { title: "A list with formulas in it" });
    await replacePostBooklist(getDb(), post.id, awkward);
    const records = readCsv(await (await csvOf(post.id)).text());
    expect(records[0]).toEqual(["Title", "Author", "ISBN", "Grade band", "Note"]);
    expect(records[3]).toEqual(['\'=HYPERLINK("http://evil.example","Click")', "'+1", "", "", "'-2"]);
    expect(records[4]?.slice(0, 2)).toEqual(["'@SUM(A1)", "''quoted already"]);
  });

  it("is not there for a held post or a post without a list", async () => {
    const newcomer = await joinAs();
    const held = await publishWithBooklist(newcomer, { ...bookFields([{ title: "Holes" }]) });
    const [row] = await getDb().select({ status: posts.status }).from(posts).where(eq(posts.id, held.id));
    expect(row?.status).toBe("pending");
    expect((await thrownResponse(csvOf(held.id))).status).toBe(404);

    const author = await joinedAccount();
    const plain = await createPost(author.user);
    expect((await thrownResponse(csvOf(plain.id))).status).toBe(404);
    expect((await thrownResponse(csvOf(999_999))).status).toBe(404);
  });
});

describe("/booklists", () => {
  it("finds books by title, author or ISBN in any form, and filters by grade band", async () => {
    const author = await joinedAccount();
    await publishWithBooklist(author, {
      ...bookFields([
        { title: "Quillbacks of the northern marsh", author: "Ondine Farrowmere", grade: "3_5" },
        { title: "Tidepool quillbacks explained", author: "Ben Abara", isbn: "0-306-40615-2", grade: "9_12" },
      ]),
    });

    const byTitle = await searchBooks("?q=quillbacks");
    expect(byTitle.books.map((book) => book.title)).toEqual([
      "Quillbacks of the northern marsh",
      "Tidepool quillbacks explained",
    ]);
    const byAuthor = await searchBooks("?q=Farrowmere");
    expect(byAuthor.books.map((book) => book.title)).toEqual(["Quillbacks of the northern marsh"]);
    for (const isbn of ["0306406152", "978-0-306-40615-7", "9780306406157"]) {
      const byIsbn = await searchBooks(`?q=${encodeURIComponent(isbn)}`);
      expect(byIsbn.books.map((book) => book.isbn)).toEqual(["9780306406157"]);
    }
    const graded = await searchBooks("?q=quillbacks&grade=9_12");
    expect(graded.books.map((book) => book.title)).toEqual(["Tidepool quillbacks explained"]);
    expect((await thrownResponse(searchBooks("?grade=college"))).status).toBe(400);
  });

  it("shows the same ISBN on two lists as one book on 2 lists, and leaves out held and hidden posts", async () => {
    const first = await joinedAccount();
    const second = await joinedAccount();
    const one = await publishWithBooklist(first, {
      title: "Marsh unit, first list",
      ...bookFields([{ title: "Wonder", author: "R. J. Palacio", isbn: "978-0-375-86902-0" }]),
    });
    const two = await publishWithBooklist(second, {
      title: "Kindness unit, second list",
      ...bookFields([{ title: "Wonder (paperback)", isbn: "9780375869020", grade: "6_8" }]),
    });
    const newcomer = await joinAs();
    await publishWithBooklist(newcomer, {
      title: "A held list with the same book",
      ...bookFields([{ title: "Wonder", isbn: "9780375869020" }]),
    });
    const moderatorsOnly = await createPost(await createMember(), { status: "hidden" });
    await replacePostBooklist(getDb(), moderatorsOnly.id, [
      { title: "Wonder", author: "", isbn: "9780375869020", gradeBand: null, note: "" },
    ]);

    const found = await searchBooks("?q=9780375869020");
    expect(found.books).toHaveLength(1);
    const [book] = found.books;
    expect(book?.title).toBe("Wonder");
    expect(book?.gradeBands).toEqual(["6_8"]);
    expect(book?.lists.map((list) => list.postId).sort()).toEqual([one.id, two.id].sort());
  });

  it("pages 20 books at a time with Next page, none repeated or missed", async () => {
    const author = await joinedAccount("moderator");
    const titles = Array.from(
      { length: 25 },
      (_, index) => `Zephyrine atlas ${String(index).padStart(2, "0")}`,
    );
    await publishWithBooklist(author, { ...bookFields(titles.map((title) => ({ title }))) });

    const first = await searchBooks("?q=zephyrine");
    expect(first.books).toHaveLength(20);
    expect(first.nextCursor).not.toBeNull();
    const second = await searchBooks(`?q=zephyrine&cursor=${first.nextCursor}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.books, ...second.books].map((book) => book.title)).toEqual(titles);
    expect((await thrownResponse(searchBooks("?cursor=not-a-cursor"))).status).toBe(400);
  });
});
