import type { PostKind } from "~/db/schema";
import { decodeListCursor, encodeListCursor, isHelpfulCursor, type ListCursor } from "~/lib/cursor";
import { invariantResponse } from "~/lib/http.server";
import { isPostKind, postKinds } from "~/lib/post-kinds";
import { plainExcerpt } from "~/lib/text";
import {
  isPostSort,
  isTopPeriod,
  listLatestPosts,
  postSorts,
  topPeriods,
  type PostListItem,
  type PostSort,
  type TopPeriod,
} from "~/models/posts.server";

/** A tag's name as tags_name_format allows it: anything else in a URL is junk. */
export const TAG_NAME_PATTERN = /^[a-z0-9-]{2,30}$/;

export type PostListQuery = {
  kind?: PostKind;
  tag?: string;
  sort: PostSort;
  period: TopPeriod;
};

/**
 * The list parameters of a post list's URL (?kind, ?tag, ?sort, ?period,
 * ?cursor), or a 400 with a plain message for any it did not make. With
 * `tag` the list is one tag's page and ?tag= is not read.
 */
export function parsePostListQuery(url: URL, { tag: fixedTag }: { tag?: string } = {}) {
  const search = url.searchParams;
  const kind = search.get("kind");
  invariantResponse(
    kind === null || isPostKind(kind),
    `There is no kind of post called "${kind}". Try one of: ${postKinds.join(", ")}.`,
  );
  const tag = fixedTag === undefined ? search.get("tag") : fixedTag;
  invariantResponse(
    tag === null || TAG_NAME_PATTERN.test(tag),
    "A tag name is 2 to 30 lowercase letters, digits or hyphens.",
  );
  const sort = search.get("sort");
  invariantResponse(
    sort === null || isPostSort(sort),
    `There is no sort called "${sort}". Try one of: ${postSorts.join(", ")}.`,
  );
  const period = search.get("period");
  invariantResponse(
    period === null || isTopPeriod(period),
    `There is no period called "${period}". Try one of: ${topPeriods.join(", ")}.`,
  );
  const query: PostListQuery = {
    kind: kind ?? undefined,
    tag: tag ?? undefined,
    sort: sort ?? "active",
    period: period ?? "month",
  };
  const cursorParameter = search.get("cursor");
  const cursor = cursorParameter === null ? null : decodeListCursor(cursorParameter);
  invariantResponse(
    cursorParameter === null || (cursor && isHelpfulCursor(cursor) === (query.sort === "top")),
    "That page link is not valid. Start again from the first page.",
  );
  return { query, cursor };
}

/**
 * One page of a post list. Pinned posts head only the default view's first
 * page (every kind and tag, most active first) and are left out of its pages,
 * so none shows twice; a filtered or re-sorted list keeps them in their place.
 */
export async function loadPostList(
  query: PostListQuery,
  cursor: ListCursor | null,
  { home }: { home: boolean },
) {
  const withPinned = home && query.kind === undefined && query.tag === undefined && query.sort === "active";
  // One statement: the pinned posts ride along with the first page's.
  const { posts, nextCursor, pinned } = await listLatestPosts({
    ...query,
    cursor,
    excludePinned: withPinned,
    withPinned: withPinned && cursor === null,
  });
  return {
    ...query,
    isFirstPage: cursor === null,
    pinned: pinned.map(summary),
    posts: posts.map(summary),
    nextCursor: nextCursor ? encodeListCursor(nextCursor) : null,
    now: new Date(),
  };
}

function summary({ bodyStart, ...post }: PostListItem) {
  return { ...post, excerpt: plainExcerpt(bodyStart) };
}
