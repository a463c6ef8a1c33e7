import { sql } from "drizzle-orm";
import type { PostKind } from "~/db/schema";
import { executeRows } from "~/lib/db.server";
import { TITLE_MAX } from "~/lib/limits";

export const SIMILAR_POSTS_LIMIT = 5;

/**
 * A suggestion shares at least two words with the title being written (the
 * pairs in the query): one shared word ("reading", "library") matches half the
 * forum. So a title of fewer words is not looked up at all.
 */
const MIN_WORDS = 2;

/** Words past this many add little to the match, and the pairs in the query grow with their square. */
const MAX_WORDS = 12;
/** Longer "words" are pasted links or noise, never a title's subject. */
const MAX_WORD_LENGTH = 40;

export type SimilarPost = {
  id: number;
  kind: PostKind;
  title: string;
  slug: string;
  commentCount: number;
  hasAcceptedAnswer: boolean;
};

type Row = {
  id: number;
  kind: PostKind;
  title: string;
  slug: string;
  comment_count: number;
  has_accepted_answer: boolean;
};

/**
 * The words of a title as plain runs of letters, marks and digits. Nothing
 * else reaches to_tsquery, so no title can be a tsquery syntax error: the
 * operators & | ! ( ) < > : * ' and backslash are all dropped here.
 */
function titleWords(title: string): string[] {
  const runs =
    title
      .slice(0, TITLE_MAX)
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const words = runs.filter((word) => word.length >= 2 && word.length <= MAX_WORD_LENGTH);
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/**
 * Published posts whose titles share at least two words (stemmed, stop words
 * left out) with `title`, for the composer: most shared words first, then by
 * ts_rank weighted almost wholly to the title, so the body only breaks ties.
 * No vector is computed per row: the stored `search_vector` is matched through
 * its GIN index with a query that already demands two shared title words (an
 * OR of every pair of the title's stems, each limited to the title's weight,
 * `:A`), so a common word alone does not make every post a candidate.
 * One statement, or none for a title with too few words.
 */
export async function findSimilarPosts(title: string, limit = SIMILAR_POSTS_LIMIT): Promise<SimilarPost[]> {
  const words = titleWords(title);
  if (words.length < MIN_WORDS) return [];
  const wordList = sql.join(
    words.map((word) => sql`${word}`),
    sql`, `,
  );

  const rows = await executeRows<Row>(sql`
    with terms as (
      -- One query per distinct stem; a stop word's query is empty and dropped.
      select distinct q
      from unnest(array[${wordList}]::text[]) as word,
        lateral (select to_tsquery('english', word || ':A') as q) as term
      where numnode(q) > 0
    ),
    pairs as (
      -- Postgres's own text of each term, so the cast back to tsquery reads
      -- exactly what to_tsquery made. Null, matching nothing, for fewer than two terms.
      select string_agg('(' || a.q::text || ') & (' || b.q::text || ')', ' | ')::tsquery as q
      from terms a join terms b on a.q::text < b.q::text
    ),
    candidates as (
      select p.id, p.kind, p.title, p.slug, p.comment_count,
        p.accepted_comment_id is not null as has_accepted_answer,
        (select count(*) from terms where p.search_vector @@ terms.q)::int as shared,
        ts_rank('{0, 0, 0.1, 1}', p.search_vector, to_tsquery('english', ${words.join(" | ")})) as rank
      from posts p
      where p.status = 'published' and p.search_vector @@ (select q from pairs)
    )
    select id, kind, title, slug, comment_count, has_accepted_answer
    from candidates
    order by shared desc, rank desc, id desc
    limit ${limit}
  `);

  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    title: row.title,
    slug: row.slug,
    commentCount: row.comment_count,
    hasAcceptedAnswer: row.has_accepted_answer,
  }));
}
