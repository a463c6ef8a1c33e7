import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { Pager } from "~/components/pager";
import { GRADE_BAND_LABELS, GRADE_BANDS, isGradeBand } from "~/lib/grade-bands";
import { invariantResponse } from "~/lib/http.server";
import { formatIsbn } from "~/lib/isbn";
import { privatePageMeta } from "~/lib/seo";
import {
  decodeBookCursor,
  encodeBookCursor,
  searchBooklists,
  type BookListLink,
} from "~/models/booklists.server";
import { commentPath } from "~/lib/thread-links";

const MAX_QUERY_LENGTH = 200;

export function meta({ data }: Parameters<MetaFunction<typeof loader>>[0]) {
  // Filtered pages are variations of this one: nothing for a search engine to keep.
  if (data?.q || data?.grade) return privatePageMeta(data.q ? `Booklists: ${data.q}` : "Booklists");
  return [{ title: "Booklists · Crosswalk" }];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, MAX_QUERY_LENGTH);
  // An empty select submits "": the same as no filter.
  const grade = url.searchParams.get("grade") || null;
  const cursorParameter = url.searchParams.get("cursor");
  invariantResponse(
    grade === null || isGradeBand(grade),
    `There is no grade band called "${grade}". Try one of: ${GRADE_BANDS.join(", ")}.`,
  );
  const cursor = cursorParameter === null ? null : decodeBookCursor(cursorParameter);
  invariantResponse(
    cursorParameter === null || cursor,
    "That page link is not valid. Start again from the first page.",
  );
  const { books, nextCursor } = await searchBooklists({
    query: q,
    gradeBand: grade ?? undefined,
    cursor,
  });
  return {
    q,
    grade,
    isFirstPage: cursor === null,
    books,
    nextCursor: nextCursor ? encodeBookCursor(nextCursor) : null,
  };
}

export default function Booklists() {
  const { q, grade, isFirstPage, books, nextCursor } = useLoaderData<typeof loader>();
  const filters = new URLSearchParams();
  if (q) filters.set("q", q);
  if (grade) filters.set("grade", grade);
  const firstPage = filters.toString() ? `/booklists?${filters}` : "/booklists";
  const nextPage = new URLSearchParams(filters);
  if (nextCursor) nextPage.set("cursor", nextCursor);

  return (
    <>
      <h1>Booklists</h1>
      <p>
        Every book on the booklists members have shared, one entry per book: the same ISBN on several lists
        shows once, with each list that carries it.
      </p>
      {/* Keyed on the filters so the fields show a new search's values after navigation. */}
      <Form method="get" action="/booklists" className="search-form" key={filters.toString()}>
        <div className="field search-form__query">
          <label htmlFor="booklists-q">Search booklists</label>
          <p id="booklists-q-hint" className="field__hint">
            A title, an author, or an ISBN (ISBN-10 or ISBN-13, hyphens optional).
          </p>
          <input
            id="booklists-q"
            type="search"
            name="q"
            defaultValue={q}
            maxLength={MAX_QUERY_LENGTH}
            aria-describedby="booklists-q-hint"
          />
        </div>
        <div className="search-form__filters">
          <div className="field">
            <label htmlFor="booklists-grade">Grade band</label>
            <select id="booklists-grade" name="grade" defaultValue={grade ?? ""}>
              <option value="">Any grade band</option>
              {GRADE_BANDS.map((band) => (
                <option key={band} value={band}>
                  {GRADE_BAND_LABELS[band]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit">Search</button>
      </Form>

      {books.length === 0 ? (
        <p className="empty">
          {!isFirstPage
            ? "No more books."
            : q || grade
              ? "No book on any list matched. Try fewer words, or another grade band."
              : "No booklists yet. Add one to a post: it is under “Add a booklist” when you start a post."}
        </p>
      ) : (
        <ol className="post-list book-results" aria-label="Books">
          {books.map((book) => (
            <li key={book.key}>
              <article className="post-summary" aria-labelledby={`book-${book.key}-title`}>
                <h2 className="post-summary__title" id={`book-${book.key}-title`}>
                  {book.title}
                </h2>
                <p className="post-summary__byline">
                  {book.author ? <span>{book.author}</span> : null}
                  {book.isbn ? <span> · ISBN {formatIsbn(book.isbn)}</span> : null}
                  {book.gradeBands.length > 0 ? (
                    <span> · {book.gradeBands.map((band) => GRADE_BAND_LABELS[band]).join(", ")}</span>
                  ) : null}
                </p>
                <p className="muted">
                  This book is on {book.lists.length} {book.lists.length === 1 ? "list" : "lists"}:
                </p>
                <ul>
                  {book.lists.map((list) => (
                    <li key={`${list.postId}-${list.commentId ?? "post"}`}>
                      <ListLink list={list} />
                    </li>
                  ))}
                </ul>
              </article>
            </li>
          ))}
        </ol>
      )}
      <Pager
        first={isFirstPage ? null : { href: firstPage, label: "First page" }}
        nextHref={nextCursor ? `/booklists?${nextPage}` : null}
      />
    </>
  );
}

function ListLink({ list }: { list: BookListLink }) {
  if (list.commentId === null) {
    return <Link to={`/posts/${list.postId}/${list.slug}`}>{list.postTitle}</Link>;
  }
  return (
    <Link to={commentPath({ id: list.postId, slug: list.slug }, list.commentId)}>
      A reply to “{list.postTitle}”
    </Link>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
