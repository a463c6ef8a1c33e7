import { sql, type SQL } from "drizzle-orm";
import type { Comment, Post, PostKind } from "~/db/schema";
import type { BooklistRow } from "~/lib/booklist";
import { executeRows } from "~/lib/db.server";
import type { GradeBand } from "~/lib/grade-bands";
import type { LibraryType } from "~/lib/library-types";
import type { ProgramType, StoryPartner } from "~/lib/story-fields";

/**
 * Everything a thread page shows, read in ONE statement whatever the size of
 * the thread: the post, its author and tags, one page of its conversations
 * (top-level replies with every reply under them) as the viewer may see them
 * (with the viewer's own Helpful marks), and what only some kinds carry (a
 * question's accepted answer and summary of answers, a story's card and "I
 * tried this" links, booklists). Each round trip to the database costs the app
 * more than assembling the parts (docs/performance.md), so the parts come back
 * as JSON columns of the post's row.
 */

/** A page of a thread holds this many conversations, like Discourse's and NodeBB's chunks of 20. */
export const CONVERSATIONS_PER_PAGE = 20;

/** Which page to show: `at`, a comment's id, wins over `page` and picks the page that holds it. */
export type ThreadPageRequest = { page: number; at: number | null };

export type ThreadViewer = { id: number; isModerator: boolean } | null;

export type ThreadComment = {
  id: number;
  parentId: number | null;
  depth: number;
  status: Comment["status"];
  authorId: number;
  bodyHtml: string;
  helpfulCount: number;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  authorUsername: string;
  authorDisplayName: string;
  authorLibraryType: LibraryType;
  viewerHelpful: boolean;
};

export type AnswerSummary = {
  bodyHtml: string;
  createdAt: Date;
  editedAt: Date | null;
  writer: { username: string; displayName: string } | null;
  credits: { commentId: number; authorUsername: string; authorDisplayName: string }[];
};

export type StoryCardDetails = {
  programType: ProgramType;
  partners: StoryPartner[];
  gradeBands: GradeBand[];
  reach: number | null;
  outcomeMeasure: string | null;
  outcomeBefore: number | null;
  outcomeAfter: number | null;
  staffHours: number | null;
};

export type LinkedStory = {
  id: number;
  title: string;
  slug: string;
  authorDisplayName: string;
  authorCommunity: string | null;
};

export type StoryThread = {
  card: StoryCardDetails | null;
  wouldChange: string;
  triedFrom: { id: number; title: string; slug: string } | null;
  triedBy: LinkedStory[];
};

export type ThreadBooklists = { post: BooklistRow[]; byComment: Map<number, BooklistRow[]> };

export type ThreadPost = {
  id: number;
  authorId: number;
  kind: PostKind;
  title: string;
  slug: string;
  bodyHtml: string;
  locked: boolean;
  pinned: boolean;
  commentCount: number;
  helpfulCount: number;
  acceptedCommentId: number | null;
  status: Post["status"];
  createdAt: Date;
  editedAt: Date | null;
  lastActivityAt: Date;
  tags: string[];
  authorUsername: string;
  authorDisplayName: string;
  authorLibraryType: LibraryType;
};

export type AcceptedComment = {
  id: number;
  authorUsername: string;
  authorDisplayName: string;
  bodyHtml: string;
};

export type ThreadPage = {
  post: ThreadPost;
  /** The comments of the page's conversations, oldest first. */
  comments: ThreadComment[];
  /** The page shown (the one asked for, kept within 1 and the last) and how many there are. */
  page: { number: number; count: number };
  /** A question's accepted answer, wherever its page is; null when there is none or it is not public. */
  acceptedComment: AcceptedComment | null;
  viewerHelpfulOnPost: boolean;
  watching: boolean;
  answerSummary: AnswerSummary | null;
  story: StoryThread | null;
  booklists: ThreadBooklists;
};

type Row = Omit<ThreadPost, "createdAt" | "editedAt" | "lastActivityAt"> & {
  createdAt: Date | string;
  editedAt: Date | string | null;
  lastActivityAt: Date | string;
  viewerHelpfulOnPost: boolean;
  watching: boolean;
  pageNumber: number;
  pageCount: number;
  acceptedComment: Json<AcceptedComment | null>;
  comments: Json<(Omit<ThreadComment, "createdAt" | "editedAt" | "deletedAt"> & JsonDates)[]>;
  answerSummary: Json<
    (Omit<AnswerSummary, "createdAt" | "editedAt"> & { createdAt: string; editedAt: string | null }) | null
  >;
  story: Json<StoryThread | null>;
  booklists: Json<(BooklistRow & { commentId: number | null })[] | null>;
};
type JsonDates = { createdAt: string; editedAt: string | null; deletedAt: string | null };
/** postgres.js parses json columns; PGlite may hand back the text. */
type Json<T> = T | string;

function fromJson<T>(value: Json<T>): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));
const toOptionalDate = (value: Date | string | null) => (value === null ? null : toDate(value));

/** Which comments a viewer sees: approved ones, deleted placeholders, and their own held ones. */
function visibleComments(viewer: ThreadViewer) {
  return viewer
    ? sql`(c.status = 'approved' or c.deleted_at is not null or (c.status = 'pending' and c.author_id = ${viewer.id}))`
    : sql`(c.status = 'approved' or c.deleted_at is not null)`;
}

/** Which posts a viewer may open: held ones to their author, held and hidden ones to moderators. */
function visiblePost(viewer: ThreadViewer) {
  if (viewer === null) return sql`p.status = 'published'`;
  if (viewer.isModerator) return sql`p.status in ('published', 'pending', 'hidden')`;
  return sql`(p.status = 'published' or (p.status = 'pending' and p.author_id = ${viewer.id}))`;
}

/** Viewer-only columns cost nothing for visitors: constants instead of lookups. */
function viewerColumns(viewer: ThreadViewer): SQL {
  if (viewer === null) return sql`false as "viewerHelpfulOnPost", false as "watching"`;
  return sql`
    exists (select 1 from votes v where v.user_id = ${viewer.id} and v.post_id = p.id) as "viewerHelpfulOnPost",
    coalesce((select s.watching from subscriptions s where s.user_id = ${viewer.id} and s.post_id = p.id), false)
      and p.status = 'published' as "watching"`;
}

/**
 * The page's conversations. A conversation starts at a top-level reply the
 * viewer sees, or at one they do not see (removed, held, deleted) that still has
 * replies under it: those replies show at the top of the page, as the tree shows a reply
 * whose parent is gone. `asked` climbs from the comment asked for (?at=) to its
 * top-level reply; `shown` walks down from the page's conversations. Every step
 * names the post, so a plan that joins by hash reads the thread's replies
 * through its index, never the whole table (tests/integration/query-plans.test.ts).
 */
const conversationPages = (postId: number, viewer: ThreadViewer, request: ThreadPageRequest) => sql`
  with recursive
  conversations as (
    select c.id, row_number() over (order by c.created_at, c.id) as position
    from comments c
    where c.post_id = ${postId} and c.parent_id is null
      and ((${visibleComments(viewer)} and c.deleted_at is null)
           or exists (select 1 from comments k where k.parent_id = c.id and k.post_id = ${postId}))
  ),
  asked (id, parent_id) as (
    select c.id, c.parent_id from comments c where c.id = ${request.at ?? 0} and c.post_id = ${postId}
    union all
    select c.id, c.parent_id from comments c join asked a on c.id = a.parent_id where c.post_id = ${postId}
  ),
  page_count as (
    select greatest(ceil(count(*) / ${CONVERSATIONS_PER_PAGE}::numeric), 1)::int as count from conversations
  ),
  shown_page as (
    select least(greatest(coalesce(
      (select ceil(v.position / ${CONVERSATIONS_PER_PAGE}::numeric)::int
         from conversations v join asked a on a.id = v.id and a.parent_id is null),
      ${request.page}
    ), 1), n.count) as number, n.count
    from page_count n
  ),
  shown (id) as (
    select v.id from conversations v, shown_page s
    where v.position > (s.number - 1) * ${CONVERSATIONS_PER_PAGE} and v.position <= s.number * ${CONVERSATIONS_PER_PAGE}
    union all
    select c.id from comments c join shown on c.parent_id = shown.id where c.post_id = ${postId}
  )`;

const commentsJson = (viewer: ThreadViewer) => sql`
  coalesce((
    select json_agg(json_build_object(
      'id', c.id, 'parentId', c.parent_id, 'depth', c.depth, 'status', c.status, 'authorId', c.author_id,
      'bodyHtml', c.body_html, 'helpfulCount', c.helpful_count, 'createdAt', c.created_at,
      'editedAt', c.edited_at, 'deletedAt', c.deleted_at, 'authorUsername', u.username,
      'authorDisplayName', u.display_name, 'authorLibraryType', u.library_type,
      'viewerHelpful', ${
        viewer === null
          ? sql`false`
          : sql`exists (select 1 from votes v where v.user_id = ${viewer.id} and v.comment_id = c.id)`
      }
    ) order by c.created_at, c.id)
    from shown s join comments c on c.id = s.id join users u on u.id = c.author_id
    where c.post_id = p.id and ${visibleComments(viewer)}
  ), '[]'::json)`;

const acceptedCommentJson = sql`
  case when p.kind = 'question' and p.accepted_comment_id is not null then (
    select json_build_object(
      'id', c.id, 'authorUsername', u.username, 'authorDisplayName', u.display_name, 'bodyHtml', c.body_html)
    from comments c join users u on u.id = c.author_id
    where c.id = p.accepted_comment_id and c.post_id = p.id and c.status = 'approved' and c.deleted_at is null
  ) end`;

// The credited replies still public (a credit to a reply since deleted or hidden is not shown), in thread order.
const answerSummaryJson = sql`
  case when p.kind = 'question' then (
    select json_build_object(
      'bodyHtml', s.body_html, 'createdAt', s.created_at, 'editedAt', s.edited_at,
      'writer', case when w.id is null then null
                else json_build_object('username', w.username, 'displayName', w.display_name) end,
      'credits', coalesce((
        select json_agg(json_build_object(
          'commentId', c.id, 'authorUsername', cu.username, 'authorDisplayName', cu.display_name
        ) order by c.created_at, c.id)
        from answer_summary_credits k
        join comments c on c.id = k.comment_id and c.status = 'approved' and c.deleted_at is null
        join users cu on cu.id = c.author_id
        where k.post_id = s.post_id
      ), '[]'::json))
    from answer_summaries s left join users w on w.id = s.author_id
    where s.post_id = p.id
  ) end`;

// Held and hidden posts on either end of an "I tried this" link are left out: a link to them would only 404.
const storyJson = sql`
  case when p.kind = 'story' then (
    select json_build_object(
      'card', case when d.post_id is null then null else json_build_object(
        'programType', d.program_type, 'partners', d.partners, 'gradeBands', d.grade_bands,
        'reach', d.reach, 'outcomeMeasure', d.outcome_measure, 'outcomeBefore', d.outcome_before,
        'outcomeAfter', d.outcome_after, 'staffHours', d.staff_hours) end,
      'wouldChange', coalesce(d.would_change, ''),
      'triedFrom', case when f.id is null then null
                   else json_build_object('id', f.id, 'title', f.title, 'slug', f.slug) end,
      'triedBy', coalesce((
        select json_agg(json_build_object(
          'id', tp.id, 'title', tp.title, 'slug', tp.slug,
          'authorDisplayName', tu.display_name, 'authorCommunity', tu.community
        ) order by tp.created_at, tp.id)
        from story_details td
        join posts tp on tp.id = td.post_id and tp.status = 'published' and tp.kind = 'story'
        join users tu on tu.id = tp.author_id
        where td.tried_from_post_id = p.id
      ), '[]'::json))
    from (select 1) as one
    left join story_details d on d.post_id = p.id
    left join posts f on f.id = d.tried_from_post_id and f.status = 'published' and f.kind = 'story'
  ) end`;

// The post's list and those of the page's comments; which comments' lists to show is the caller's choice.
const booklistsJson = sql`(
  select json_agg(json_build_object(
    'commentId', b.comment_id, 'title', b.title, 'author', b.author, 'isbn', b.isbn,
    'gradeBand', b.grade_band, 'note', b.note
  ) order by b.comment_id nulls first, b.position)
  from (
    select * from booklist_items where post_id = p.id
    union all
    select bc.* from shown s join booklist_items bc on bc.comment_id = s.id
  ) b
)`;

/** A page of a thread as `viewer` may see it, in one statement; undefined when there is no such post for them. */
export async function loadThreadPage(
  postId: number,
  viewer: ThreadViewer,
  request: ThreadPageRequest = { page: 1, at: null },
): Promise<ThreadPage | undefined> {
  const [row] = await executeRows<Row>(sql`
    ${conversationPages(postId, viewer, request)}
    select
      p.id, p.author_id as "authorId", p.kind, p.title, p.slug, p.body_html as "bodyHtml", p.locked, p.pinned,
      p.comment_count as "commentCount", p.helpful_count as "helpfulCount",
      p.accepted_comment_id as "acceptedCommentId", p.status, p.created_at as "createdAt",
      p.edited_at as "editedAt", p.last_activity_at as "lastActivityAt",
      array(
        select t.name from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = p.id order by t.name
      ) as tags,
      u.username as "authorUsername", u.display_name as "authorDisplayName",
      u.library_type as "authorLibraryType",
      ${viewerColumns(viewer)},
      ${commentsJson(viewer)} as comments,
      (select number from shown_page) as "pageNumber",
      (select count from shown_page) as "pageCount",
      ${acceptedCommentJson} as "acceptedComment",
      ${answerSummaryJson} as "answerSummary",
      ${storyJson} as story,
      ${booklistsJson} as booklists
    from posts p join users u on u.id = p.author_id
    where p.id = ${postId} and ${visiblePost(viewer)}
  `);
  if (!row) return undefined;
  const {
    comments,
    answerSummary,
    story,
    booklists,
    viewerHelpfulOnPost,
    watching,
    pageNumber,
    pageCount,
    acceptedComment,
    createdAt,
    editedAt,
    lastActivityAt,
    ...post
  } = row;
  const summary = fromJson(answerSummary);
  return {
    post: {
      ...post,
      createdAt: toDate(createdAt),
      editedAt: toOptionalDate(editedAt),
      lastActivityAt: toDate(lastActivityAt),
    },
    comments: fromJson(comments).map((comment) => ({
      ...comment,
      createdAt: toDate(comment.createdAt),
      editedAt: toOptionalDate(comment.editedAt),
      deletedAt: toOptionalDate(comment.deletedAt),
    })),
    page: { number: pageNumber, count: pageCount },
    acceptedComment: fromJson(acceptedComment),
    viewerHelpfulOnPost,
    watching,
    answerSummary: summary
      ? { ...summary, createdAt: toDate(summary.createdAt), editedAt: toOptionalDate(summary.editedAt) }
      : null,
    story: fromJson(story),
    booklists: groupBooklists(fromJson(booklists) ?? []),
  };
}

function groupBooklists(rows: (BooklistRow & { commentId: number | null })[]): ThreadBooklists {
  const post: BooklistRow[] = [];
  const byComment = new Map<number, BooklistRow[]>();
  for (const { commentId, ...row } of rows) {
    if (commentId === null) {
      post.push(row);
      continue;
    }
    const list = byComment.get(commentId);
    if (list) list.push(row);
    else byComment.set(commentId, [row]);
  }
  return { post, byComment };
}
