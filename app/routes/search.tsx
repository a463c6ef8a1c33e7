import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { RelativeTime } from "~/components/relative-time";
import type { LibraryType } from "~/db/schema";
import { invariantResponse } from "~/lib/http.server";
import { libraryTypeLabels, libraryTypes } from "~/lib/library-types";
import { isPostKind, postKindLabels, postKinds } from "~/lib/post-kinds";
import { commentPath } from "~/lib/thread-links";
import { privatePageMeta } from "~/lib/seo";
import { decodeSearchCursor, encodeSearchCursor, searchThreads } from "~/models/search.server";

const MAX_QUERY_LENGTH = 200;
const TAG_PATTERN = /^[a-z0-9-]{2,30}$/;

function isLibraryType(value: string): value is LibraryType {
  return (libraryTypes as readonly string[]).includes(value);
}

export function meta({ data }: Parameters<MetaFunction<typeof loader>>[0]) {
  // Result pages are endless variations of the forum's own pages: nothing for a search engine to keep.
  return privatePageMeta(data?.q ? `Search: ${data.q}` : "Search");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, MAX_QUERY_LENGTH);
  // An empty select or text field submits "": the same as no filter.
  const kindParameter = url.searchParams.get("kind") || null;
  const tagParameter = (url.searchParams.get("tag") ?? "").trim().toLowerCase() || null;
  const libraryParameter = url.searchParams.get("library") || null;
  const cursorParameter = url.searchParams.get("cursor");

  invariantResponse(
    kindParameter === null || isPostKind(kindParameter),
    `There is no kind of post called "${kindParameter}". Try one of: ${postKinds.join(", ")}.`,
  );
  invariantResponse(
    libraryParameter === null || isLibraryType(libraryParameter),
    `There is no library type called "${libraryParameter}". Try one of: ${libraryTypes.join(", ")}.`,
  );
  invariantResponse(
    tagParameter === null || TAG_PATTERN.test(tagParameter),
    "A tag is 2 to 30 lowercase letters, digits or hyphens.",
  );
  const cursor = cursorParameter === null ? null : decodeSearchCursor(cursorParameter);
  invariantResponse(
    cursorParameter === null || cursor,
    "That page link is not valid. Start again from the first page.",
  );

  const filters = {
    kind: kindParameter ?? undefined,
    tag: tagParameter ?? undefined,
    libraryType: libraryParameter ?? undefined,
  };
  const base = { q, kind: kindParameter, tag: tagParameter, library: libraryParameter };
  if (q === "") {
    return { ...base, searched: false, isFirstPage: true, results: [], nextCursor: null, now: new Date() };
  }
  const { results, nextCursor } = await searchThreads({ query: q, filters, cursor });
  return {
    ...base,
    searched: true,
    isFirstPage: cursor === null,
    results,
    nextCursor: nextCursor ? encodeSearchCursor(nextCursor) : null,
    now: new Date(),
  };
}

export default function Search() {
  const { q, kind, tag, library, searched, isFirstPage, results, nextCursor, now } =
    useLoaderData<typeof loader>();
  const nextPage = new URLSearchParams({ q });
  if (kind) nextPage.set("kind", kind);
  if (tag) nextPage.set("tag", tag);
  if (library) nextPage.set("library", library);
  if (nextCursor) nextPage.set("cursor", nextCursor);

  return (
    <>
      <h1>Search</h1>
      {/* Keyed on the query so the fields show a new search's values after navigation. */}
      <Form method="get" action="/search" className="search-form" key={nextPage.toString()}>
        <div className="field search-form__query">
          <label htmlFor="search-q">Search</label>
          <input id="search-q" type="search" name="q" defaultValue={q} maxLength={MAX_QUERY_LENGTH} />
        </div>
        <div className="search-form__filters">
          <div className="field">
            <label htmlFor="search-kind">Type</label>
            <select id="search-kind" name="kind" defaultValue={kind ?? ""}>
              <option value="">Any type</option>
              {postKinds.map((value) => (
                <option key={value} value={value}>
                  {postKindLabels[value]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-tag">Tag</label>
            <input id="search-tag" type="text" name="tag" defaultValue={tag ?? ""} maxLength={30} />
          </div>
          <div className="field">
            <label htmlFor="search-library">Library type</label>
            <select id="search-library" name="library" defaultValue={library ?? ""}>
              <option value="">Any library type</option>
              {libraryTypes.map((value) => (
                <option key={value} value={value}>
                  {libraryTypeLabels[value]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit">Search</button>
      </Form>

      {!searched ? null : results.length === 0 ? (
        <p className="empty">
          {isFirstPage
            ? "Nothing matched that search. Try fewer or different words, or remove a filter."
            : "No more results."}
        </p>
      ) : (
        <ol className="post-list search-results" aria-label="Search results">
          {results.map((result) => (
            <li key={result.id}>
              <article className="post-summary search-result" aria-labelledby={`result-${result.id}-title`}>
                <p className="post-summary__meta">
                  <span className={`kind-badge kind-badge--${result.kind}`}>
                    {postKindLabels[result.kind]}
                  </span>
                </p>
                <h2 className="post-summary__title" id={`result-${result.id}-title`}>
                  <Link to={`/posts/${result.id}/${result.slug}`}>{result.title}</Link>
                </h2>
                <p className="post-summary__excerpt search-result__excerpt">
                  {result.excerptSource === "comment" && result.excerptCommentId !== null ? (
                    <span className="search-result__source">
                      <Link to={commentPath(result, result.excerptCommentId)}>In a reply</Link>:{" "}
                    </span>
                  ) : null}
                  {/*
                    Safe only because the server escaped the markdown (& < >) before
                    ts_headline added the <mark> tags (app/models/search.server.ts):
                    <mark> and </mark> are the only tags this HTML can contain.
                  */}
                  <span dangerouslySetInnerHTML={{ __html: result.excerptHtml }} />
                </p>
                <p className="post-summary__byline">
                  <Link to={`/u/${result.authorUsername}`}>{result.authorDisplayName}</Link>
                  <span className="library-type"> · {libraryTypeLabels[result.authorLibraryType]}</span>
                  <span>
                    {" "}
                    · {result.commentCount} {result.commentCount === 1 ? "reply" : "replies"} · last activity{" "}
                    <RelativeTime date={result.lastActivityAt} now={now} />
                  </span>
                </p>
                {result.tags.length > 0 ? (
                  <ul className="tag-list" aria-label="Tags">
                    {result.tags.map((name) => (
                      <li key={name} className="tag">
                        {name}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </article>
            </li>
          ))}
        </ol>
      )}
      {nextCursor ? (
        <nav aria-label="Pagination" className="pager">
          <Link to={`/search?${nextPage.toString()}`} rel="next">
            Next page
          </Link>
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
