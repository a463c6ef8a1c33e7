import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { booklistItems, posts } from "~/db/schema";
import type { BooklistRow } from "~/lib/booklist";
import { executeRows, getDb, type Executor } from "~/lib/db.server";
import type { GradeBand } from "~/lib/grade-bands";
import { parseIsbn } from "~/lib/isbn";

const rowColumns = {
  title: booklistItems.title,
  author: booklistItems.author,
  isbn: booklistItems.isbn,
  gradeBand: booklistItems.gradeBand,
  note: booklistItems.note,
};

/** Replaces a post's whole booklist with these rows, in this order (inside the caller's transaction). */
export async function replacePostBooklist(tx: Executor, postId: number, rows: BooklistRow[]) {
  await tx.delete(booklistItems).where(eq(booklistItems.postId, postId));
  if (rows.length === 0) return;
  await tx.insert(booklistItems).values(rows.map((row, index) => ({ ...row, postId, position: index + 1 })));
}

/** Stores a new comment's booklist, in this order (inside the caller's transaction). */
export async function insertCommentBooklist(tx: Executor, commentId: number, rows: BooklistRow[]) {
  if (rows.length === 0) return;
  await tx
    .insert(booklistItems)
    .values(rows.map((row, index) => ({ ...row, commentId, position: index + 1 })));
}

/** Replaces a comment's whole booklist with these rows, in this order (inside the caller's transaction). */
export async function replaceCommentBooklist(tx: Executor, commentId: number, rows: BooklistRow[]) {
  await tx.delete(booklistItems).where(eq(booklistItems.commentId, commentId));
  await insertCommentBooklist(tx, commentId, rows);
}

/** A comment's booklist in order, whatever the comment's status (callers check who may see it). */
export async function listCommentBooklist(commentId: number): Promise<BooklistRow[]> {
  return getDb()
    .select(rowColumns)
    .from(booklistItems)
    .where(eq(booklistItems.commentId, commentId))
    .orderBy(asc(booklistItems.position));
}

/** A post's booklist in order, whatever the post's status (callers check who may see it). */
export async function listPostBooklist(postId: number): Promise<BooklistRow[]> {
  return getDb()
    .select(rowColumns)
    .from(booklistItems)
    .where(eq(booklistItems.postId, postId))
    .orderBy(asc(booklistItems.position));
}

/** The booklist of a published post, for download; undefined when there is no such post or no list. */
export async function getPublishedPostBooklist(postId: number) {
  const [post] = await getDb()
    .select({ id: posts.id, slug: posts.slug })
    .from(posts)
    .where(and(eq(posts.id, postId), eq(posts.status, "published")));
  if (!post) return undefined;
  const rows = await listPostBooklist(postId);
  return rows.length > 0 ? { post, rows } : undefined;
}

// Search ------------------------------------------------------------------

export const BOOKS_PER_PAGE = 20;

/** The last book shown: its sort title and its key (the ISBN-13, or "item-" and the row id). */
export type BookCursor = { title: string; key: string };

const cursorSchema = z.tuple([z.string().max(1000), z.string().regex(/^(97[89]\d{10}|item-\d{10})$/)]);

export function encodeBookCursor(cursor: BookCursor): string {
  return Buffer.from(JSON.stringify([cursor.title, cursor.key]), "utf8").toString("base64url");
}

/** The cursor in a `?cursor=` parameter, or null when it is not one we made. */
export function decodeBookCursor(value: string): BookCursor | null {
  if (!/^[A-Za-z0-9_-]{1,1500}$/.test(value)) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
    return parsed.success ? { title: parsed.data[0], key: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

export type BookListLink = { postId: number; slug: string; postTitle: string; commentId: number | null };

export type BookResult = {
  key: string;
  title: string;
  author: string;
  isbn: string | null;
  gradeBands: GradeBand[];
  /** Each list (a post's or a comment's) that carries the book, once. */
  lists: BookListLink[];
};

type BookRow = {
  book_key: string;
  sort_title: string;
  title: string;
  author: string;
  isbn: string | null;
  grade_bands: GradeBand[];
  lists: BookListLink[];
};

export type BookSearch = { query?: string; gradeBand?: GradeBand; cursor?: BookCursor | null };

/**
 * Books across every visible booklist: rows with the same ISBN are one book,
 * rows without one stand alone. A query that reads as an ISBN matches that
 * ISBN exactly; other text matches titles and authors. Ordered by title and
 * paged by keyset on (title, key), so pages neither repeat nor skip a book.
 */
export async function searchBooklists({ query, gradeBand, cursor }: BookSearch) {
  const text = query?.trim() ?? "";
  const isbn = text ? parseIsbn(text) : null;
  const filters: SQL[] = [];
  if (isbn?.ok) filters.push(sql`v.isbn = ${isbn.isbn13}`);
  else if (text) {
    // Titles are stemmed in English and authors are indexed as typed ('simple'): ask both ways.
    filters.push(
      sql`(v.search_vector @@ websearch_to_tsquery('english', ${text}) or v.search_vector @@ websearch_to_tsquery('simple', ${text}))`,
    );
  }
  if (gradeBand) filters.push(sql`v.grade_band = ${gradeBand}`);
  const matching = filters.length > 0 ? sql.join(filters, sql` and `) : sql`true`;
  const after = cursor ? sql`where (b.sort_title, b.book_key) > (${cursor.title}, ${cursor.key})` : sql``;

  const rows = await executeRows<BookRow>(sql`
    with visible as (
      select bi.id, bi.title, bi.author, bi.isbn, bi.grade_band, bi.search_vector, bi.comment_id,
             p.id as post_id, p.slug, p.title as post_title,
             coalesce(bi.isbn, 'item-' || lpad(bi.id::text, 10, '0')) as book_key
      from booklist_items bi
      left join comments c on c.id = bi.comment_id
      join posts p on p.id = coalesce(bi.post_id, c.post_id)
      where p.status = 'published'
        and (bi.comment_id is null or (c.status = 'approved' and c.deleted_at is null))
    ),
    matching as (select distinct v.book_key from visible v where ${matching}),
    books as (
      select v.book_key,
             (array_agg(v.title order by v.id))[1] as title,
             lower((array_agg(v.title order by v.id))[1]) as sort_title,
             (array_agg(v.author order by v.id))[1] as author,
             min(v.isbn) as isbn,
             coalesce(array_agg(distinct v.grade_band::text) filter (where v.grade_band is not null), '{}') as grade_bands,
             jsonb_agg(distinct jsonb_build_object(
               'postId', v.post_id, 'slug', v.slug, 'postTitle', v.post_title, 'commentId', v.comment_id
             )) as lists
      from visible v
      join matching m on m.book_key = v.book_key
      group by v.book_key
    )
    select * from books b ${after}
    order by b.sort_title, b.book_key
    limit ${BOOKS_PER_PAGE + 1}
  `);

  const page = rows.slice(0, BOOKS_PER_PAGE);
  const last = page.at(-1);
  const books: BookResult[] = page.map((row) => ({
    key: row.book_key,
    title: row.title,
    author: row.author,
    isbn: row.isbn,
    gradeBands: row.grade_bands,
    lists: row.lists,
  }));
  return {
    books,
    nextCursor: rows.length > BOOKS_PER_PAGE && last ? { title: last.sort_title, key: last.book_key } : null,
  };
}
