import { sql } from "drizzle-orm";
import type { LibraryType, PostKind } from "~/db/schema";
import { executeRows } from "~/lib/db.server";

export const SEARCH_RESULTS_PER_PAGE = 20;

/** A reply's match counts for a little less than the same match in the post itself. */
const COMMENT_RANK_FACTOR = 0.8;
/**
 * How many of the newest matching posts and replies are ranked. A word found on
 * most of a million replies would otherwise rank every one of them for each
 * search; past these, the newest matches stand for the rest.
 */
export const SEARCH_CANDIDATE_POSTS = 2_000;
export const SEARCH_CANDIDATE_COMMENTS = 5_000;

/**
 * The asker's summary of answers is what a later reader wants, so a thread
 * whose summary matches ranks above every thread without one: ts_rank stays
 * below 1, and the boost is added to the summary's own rank.
 */
const SUMMARY_RANK_BOOST = 1;

/**
 * A position in the ranked results: the last thread shown. The rank travels
 * as Postgres's own text of a `real` (shortest exact form), so it compares
 * equal to the rank the next query computes and no thread repeats or is lost.
 */
export type SearchCursor = { rank: string; id: number };

export type SearchFilters = {
  kind?: PostKind;
  tag?: string;
  libraryType?: LibraryType;
};

export type SearchResult = {
  id: number;
  kind: PostKind;
  title: string;
  slug: string;
  commentCount: number;
  lastActivityAt: Date;
  tags: string[];
  authorUsername: string;
  authorDisplayName: string;
  authorLibraryType: LibraryType;
  /** Where the excerpt comes from: the post's own body or its best-matching approved reply. */
  excerptSource: "post" | "comment";
  /** The reply the excerpt comes from, which the result links to; null for the post's own body. */
  excerptCommentId: number | null;
  /**
   * HTML: the source markdown escaped (& < >) before ts_headline wrapped the
   * matches in <mark>, so <mark> and </mark> are the only tags in it.
   */
  excerptHtml: string;
};

type Row = {
  id: number;
  kind: PostKind;
  title: string;
  slug: string;
  comment_count: number;
  last_activity_at: Date | string;
  tags: string[];
  author_username: string;
  author_display_name: string;
  author_library_type: LibraryType;
  rank_key: string;
  excerpt_source: "post" | "comment";
  excerpt_comment_id: number | null;
  excerpt_html: string;
};

// Escapes markdown for HTML before it is headlined: the excerpt is shown as
// HTML, and ts_headline copies the text it is given as it is.
const escapedHtml = (column: string) =>
  sql.raw(`replace(replace(replace(${column}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`);

const HEADLINE_OPTIONS =
  'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … "';

/**
 * One page of threads matching `query` (websearch syntax: "phrases",
 * -exclusions, or), best first. A thread matches on its published post
 * (title weighted above body, through the stored vector) or on an approved,
 * undeleted reply, or on its summary of answers; its rank is the best of
 * those, a reply's scaled down and a summary's raised above any other match.
 * Only the stored tsvector columns are matched and ranked, through their GIN
 * indexes; ts_headline runs on the page's rows alone. One statement.
 */
export async function searchThreads({
  query,
  filters = {},
  cursor = null,
  limit = SEARCH_RESULTS_PER_PAGE,
}: {
  query: string;
  filters?: SearchFilters;
  cursor?: SearchCursor | null;
  limit?: number;
}): Promise<{ results: SearchResult[]; nextCursor: SearchCursor | null }> {
  const { kind, tag, libraryType } = filters;
  const rows = await executeRows<Row>(sql`
    with search_query as (
      select websearch_to_tsquery('english', ${query}) as q
    ),
    -- The newest matches only, so a word on most pages costs no more than a rare one
    -- (docs/performance.md): rank is computed on at most this many posts and replies.
    -- The query is written out here rather than read from search_query: the planner
    -- then sees the words, and for a common one walks the newest rows instead of
    -- fetching every match to sort them.
    recent_posts as (
      select p.id, p.search_vector
      from posts p
      where p.status = 'published' and p.search_vector @@ websearch_to_tsquery('english', ${query})
      order by p.id desc
      limit ${SEARCH_CANDIDATE_POSTS}
    ),
    recent_comments as (
      select c.post_id, c.search_vector
      from comments c
      join posts cp on cp.id = c.post_id and cp.status = 'published'
      where c.status = 'approved' and c.deleted_at is null
        and c.search_vector @@ websearch_to_tsquery('english', ${query})
      order by c.id desc
      limit ${SEARCH_CANDIDATE_COMMENTS}
    ),
    hits as (
      select rp.id, ts_rank(rp.search_vector, sq.q)::real as rank
      from recent_posts rp, search_query sq
      union all
      select rc.post_id as id, (max(ts_rank(rc.search_vector, sq.q)) * ${COMMENT_RANK_FACTOR}::real)::real as rank
      from recent_comments rc, search_query sq
      group by rc.post_id
      union all
      select s.post_id as id, (ts_rank(s.search_vector, sq.q) + ${SUMMARY_RANK_BOOST}::real)::real as rank
      from answer_summaries s
      join posts sp on sp.id = s.post_id and sp.status = 'published', search_query sq
      where s.search_vector @@ sq.q
    ),
    ranked as (
      select id, max(rank)::real as rank from hits group by id
    ),
    page as (
      select r.id, r.rank
      from ranked r
      join posts p on p.id = r.id
      join users u on u.id = p.author_id
      where true
        ${kind ? sql`and p.kind = ${kind}` : sql``}
        ${libraryType ? sql`and u.library_type = ${libraryType}` : sql``}
        ${
          tag
            ? sql`and exists (
                select 1 from post_tags pt join tags t on t.id = pt.tag_id
                where pt.post_id = p.id and t.name = ${tag})`
            : sql``
        }
        ${cursor ? sql`and (r.rank, r.id) < (${cursor.rank}::real, ${cursor.id}::integer)` : sql``}
      order by r.rank desc, r.id desc
      limit ${limit + 1}
    )
    select
      p.id, p.kind, p.title, p.slug, p.comment_count, p.last_activity_at,
      array(
        select t.name from post_tags pt join tags t on t.id = pt.tag_id
        where pt.post_id = p.id order by t.name
      ) as tags,
      u.username as author_username,
      u.display_name as author_display_name,
      u.library_type as author_library_type,
      page.rank::text as rank_key,
      case when body_match.matched or best_comment.body_md is null then 'post' else 'comment' end
        as excerpt_source,
      case when not body_match.matched then best_comment.id end as excerpt_comment_id,
      case
        when body_match.matched or best_comment.body_md is null
          then ts_headline('english', ${escapedHtml("p.body_md")}, sq.q, ${HEADLINE_OPTIONS})
        else ts_headline('english', ${escapedHtml("best_comment.body_md")}, sq.q, ${HEADLINE_OPTIONS})
      end as excerpt_html
    from page
    join posts p on p.id = page.id
    join users u on u.id = p.author_id
    cross join search_query sq
    -- Whether the body itself matched, read from the stored vector's B-weighted lexemes.
    cross join lateral (select ts_filter(p.search_vector, '{b}') @@ sq.q as matched) body_match
    left join lateral (
      select c.id, c.body_md from comments c
      where c.post_id = p.id and c.status = 'approved' and c.deleted_at is null
        and c.search_vector @@ sq.q
      order by ts_rank(c.search_vector, sq.q) desc, c.id
      limit 1
    ) best_comment on not body_match.matched
    order by page.rank desc, page.id desc
  `);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    results: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      slug: row.slug,
      commentCount: row.comment_count,
      lastActivityAt: new Date(row.last_activity_at),
      tags: row.tags,
      authorUsername: row.author_username,
      authorDisplayName: row.author_display_name,
      authorLibraryType: row.author_library_type,
      excerptSource: row.excerpt_source,
      excerptCommentId: row.excerpt_comment_id,
      excerptHtml: row.excerpt_html,
    })),
    nextCursor: rows.length > limit && last ? { rank: last.rank_key, id: last.id } : null,
  };
}

// Postgres's text of a finite, non-negative real: "0.0607927", "6.0792704e-05".
const RANK_PATTERN = /^\d{1,10}(\.\d{1,12})?(e[+-]?\d{1,2})?$/;

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(`${cursor.rank}|${cursor.id}`, "utf8").toString("base64url");
}

/** The cursor in a search's `?cursor=` parameter, or null when it is not one we made. */
export function decodeSearchCursor(value: string): SearchCursor | null {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) return null;
  const parts = Buffer.from(value, "base64url").toString("utf8").split("|");
  if (parts.length !== 2) return null;
  const [rank, id] = parts as [string, string];
  if (!RANK_PATTERN.test(rank) || !Number.isFinite(Number(rank))) return null;
  if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2_147_483_647) return null;
  return { rank, id: Number(id) };
}
