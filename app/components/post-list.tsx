import type { PostKind } from "~/db/schema";
import { postKindPluralLabels, postKinds } from "~/lib/post-kinds";
import { PostSummary, type PostSummaryData } from "./post-summary";
import { AppLink } from "./app-link";

type Sort = "active" | "new" | "top" | "unanswered";
type Period = "week" | "month" | "year" | "all";

export type PostListProps = {
  /** "/" or "/tags/NAME": where the list's links go. */
  basePath: string;
  kind?: PostKind;
  /** A ?tag= filter; a tag's own page passes its tag in basePath instead. */
  tag?: string;
  sort: Sort;
  period: Period;
  pinned: PostSummaryData[];
  posts: PostSummaryData[];
  nextCursor: string | null;
  isFirstPage: boolean;
  now: Date;
};

const sortLabels: Record<Sort, string> = {
  active: "Active",
  new: "New",
  top: "Top",
  unanswered: "Unanswered",
};
const periodLabels: Record<Period, string> = { week: "Week", month: "Month", year: "Year", all: "All time" };
const sortDescriptions: Record<Sort, string> = {
  active: "most recent activity first",
  new: "newest first",
  top: "most helpful first",
  unanswered: "questions without an answer, newest first",
};

type Query = { kind?: PostKind; tag?: string; sort: Sort; period: Period; cursor?: string };

/** The list's URL for `query`, leaving out defaults so the plain list stays at its plain address. */
export function postListHref(basePath: string, { kind, tag, sort, period, cursor }: Query) {
  const search = new URLSearchParams();
  if (kind) search.set("kind", kind);
  if (tag) search.set("tag", tag);
  if (sort !== "active") search.set("sort", sort);
  if (sort === "top" && period !== "month") search.set("period", period);
  if (cursor) search.set("cursor", cursor);
  const text = search.toString();
  return text ? `${basePath}?${text}` : basePath;
}

/** A post list with its kind filter, sort links, active filters and keyset pager. */
export function PostList(props: PostListProps) {
  const { basePath, kind, tag, sort, period, pinned, posts, nextCursor, isFirstPage, now } = props;
  const query: Query = { kind, tag, sort, period };
  const href = (change: Partial<Query>) => postListHref(basePath, { ...query, ...change });

  return (
    <>
      <nav aria-label="Kinds of post" className="kind-filter">
        <ul>
          <li>
            <AppLink to={href({ kind: undefined })} aria-current={kind ? undefined : "page"}>
              All
            </AppLink>
          </li>
          {postKinds.map((value) => (
            <li key={value}>
              <AppLink to={href({ kind: value })} aria-current={kind === value ? "page" : undefined}>
                {postKindPluralLabels[value]}
              </AppLink>
            </li>
          ))}
        </ul>
      </nav>
      <nav aria-label="Sort posts" className="kind-filter sort-filter">
        <ul>
          {(Object.keys(sortLabels) as Sort[]).map((value) => (
            <li key={value}>
              <AppLink to={href({ sort: value })} aria-current={sort === value ? "page" : undefined}>
                {sortLabels[value]}
              </AppLink>
            </li>
          ))}
        </ul>
      </nav>
      {sort === "top" ? (
        <nav aria-label="Top posts of" className="kind-filter period-filter">
          <ul>
            {(Object.keys(periodLabels) as Period[]).map((value) => (
              <li key={value}>
                <AppLink to={href({ period: value })} aria-current={period === value ? "page" : undefined}>
                  {periodLabels[value]}
                </AppLink>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <p className="active-filters" aria-live="polite">
        Showing {kind ? postKindPluralLabels[kind].toLowerCase() : "all posts"}
        {tag ? (
          <>
            {" "}
            tagged <AppLink to={`/tags/${tag}`}>{tag}</AppLink>
          </>
        ) : null}
        , {sortDescriptions[sort]}
        {sort === "top" ? (period === "all" ? ", of all time" : `, created in the last ${period}`) : null}.
        {kind || tag || sort !== "active" ? (
          <>
            {" "}
            <AppLink to={basePath} className="active-filters__clear">
              Clear filters
            </AppLink>
          </>
        ) : null}
      </p>
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
          <AppLink to={href({ cursor: nextCursor })} rel="next">
            Next page
          </AppLink>
        </nav>
      ) : null}
    </>
  );
}
