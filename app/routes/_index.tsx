import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PostSummary } from "~/components/post-summary";
import { decodeCursor, encodeCursor } from "~/lib/cursor";
import { invariantResponse } from "~/lib/http.server";
import { isPostKind, postKindPluralLabels, postKinds } from "~/lib/post-kinds";
import { plainExcerpt } from "~/lib/text";
import { listLatestPosts, listPinnedPosts, type PostListItem } from "~/models/posts.server";

export function meta({ data }: Parameters<MetaFunction<typeof loader>>[0]) {
  const kind = data?.kind;
  return [{ title: kind ? `${postKindPluralLabels[kind]} · Crosswalk` : "Latest discussions · Crosswalk" }];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const kindParameter = url.searchParams.get("kind");
  const cursorParameter = url.searchParams.get("cursor");
  invariantResponse(
    kindParameter === null || isPostKind(kindParameter),
    `There is no kind of post called "${kindParameter}". Try one of: ${postKinds.join(", ")}.`,
  );
  const cursor = cursorParameter === null ? null : decodeCursor(cursorParameter);
  invariantResponse(
    cursorParameter === null || cursor,
    "That page link is not valid. Start again from the first page.",
  );

  const kind = kindParameter ?? undefined;
  // Pinned posts head the unfiltered list's first page and are left out of its
  // pages, so none shows twice; a list of one kind keeps them in their place.
  const withPinned = kind === undefined;
  const [{ posts, nextCursor }, pinned] = await Promise.all([
    listLatestPosts({ kind, cursor, excludePinned: withPinned }),
    withPinned && cursor === null ? listPinnedPosts() : [],
  ]);
  return {
    kind,
    isFirstPage: cursor === null,
    pinned: pinned.map(summary),
    posts: posts.map(summary),
    nextCursor: nextCursor ? encodeCursor(nextCursor) : null,
    now: new Date(),
  };
}

function summary({ bodyStart, ...post }: PostListItem) {
  return { ...post, excerpt: plainExcerpt(bodyStart) };
}

export default function LatestDiscussions() {
  const { kind, pinned, posts, nextCursor, isFirstPage, now } = useLoaderData<typeof loader>();
  const nextPage = new URLSearchParams();
  if (kind) nextPage.set("kind", kind);
  if (nextCursor) nextPage.set("cursor", nextCursor);

  return (
    <>
      <h1>{kind ? postKindPluralLabels[kind] : "Latest discussions"}</h1>
      <nav aria-label="Kinds of post" className="kind-filter">
        <ul>
          <li>
            <Link to="/" aria-current={kind ? undefined : "page"}>
              All
            </Link>
          </li>
          {postKinds.map((value) => (
            <li key={value}>
              <Link to={`/?kind=${value}`} aria-current={kind === value ? "page" : undefined}>
                {postKindPluralLabels[value]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {pinned.length > 0 ? (
        <section className="pinned-posts notice" aria-labelledby="pinned-heading">
          <h2 id="pinned-heading">
            <span className="kind-badge pinned-badge">Pinned</span>
          </h2>
          <ol className="post-list">
            {pinned.map((post) => (
              <li key={post.id}>
                <PostSummary post={post} now={now} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {posts.length === 0 ? (
        <p className="empty">
          {!isFirstPage ? "No more posts." : pinned.length > 0 ? "No other posts yet." : "Nothing here yet."}
        </p>
      ) : (
        <ol className="post-list">
          {posts.map((post) => (
            <li key={post.id}>
              <PostSummary post={post} now={now} />
            </li>
          ))}
        </ol>
      )}
      {nextCursor ? (
        <nav aria-label="Pagination" className="pager">
          <Link to={`/?${nextPage.toString()}`} rel="next">
            Next page
          </Link>
        </nav>
      ) : null}
    </>
  );
}
