import { and, arrayContains, desc, eq, getTableColumns, sql, type SQL } from "drizzle-orm";
import type { DemoStory } from "~/db/demo-content.types";
import { posts, storyDetails, users } from "~/db/schema";
import type { Cursor } from "~/lib/cursor";
import { executeRows, getDb, type Executor, type Transaction } from "~/lib/db.server";
import type { GradeBand } from "~/lib/grade-bands";
import { storyFormValuesOf, type ProgramType, type StoryPartner } from "~/lib/story-fields";
import { parseStoryForm, type StoryInput } from "~/lib/validation";
import { POSTS_PER_PAGE, postTagNames, storyCardColumns } from "./posts.server";

// The structured part of Success stories (story_details), the /stories list
// with its facets, and the "I tried this" chains between stories.

/**
 * Writes a story's details in the caller's transaction: `null` removes them
 * (the post is no longer a story), `undefined` leaves them as they are.
 */
export async function saveStoryDetails(
  tx: Transaction,
  postId: number,
  story: StoryInput | null | undefined,
) {
  if (story === undefined) return;
  if (story === null) {
    await tx.delete(storyDetails).where(eq(storyDetails.postId, postId));
    return;
  }
  const row = {
    programType: story.programType,
    partners: story.partners,
    gradeBands: story.gradeBands,
    reach: story.reach,
    outcomeMeasure: story.outcomeMeasure,
    outcomeBefore: story.outcomeBefore,
    outcomeAfter: story.outcomeAfter,
    staffHours: story.staffHours,
    wouldChange: story.wouldChange,
    triedFromPostId: story.triedFrom ?? null,
  };
  await tx
    .insert(storyDetails)
    .values({ postId, ...row })
    .onConflictDoUpdate({ target: storyDetails.postId, set: row });
}

/** Whether `postId` is a published Success story: the only kind a follow-up may name. */
export async function isPublishedStory(postId: number, executor: Executor = getDb()) {
  const [row] = await executor
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.id, postId), eq(posts.status, "published"), eq(posts.kind, "story")))
    .limit(1);
  return Boolean(row);
}

/** A published story's title, for "Following up on: TITLE" in the composer. */
export async function getPublishedStoryTitle(postId: number) {
  const [row] = await getDb()
    .select({ id: posts.id, title: posts.title, slug: posts.slug })
    .from(posts)
    .where(and(eq(posts.id, postId), eq(posts.status, "published"), eq(posts.kind, "story")))
    .limit(1);
  return row;
}

/** A story's stored details as its edit form's values (none when it has no details). */
export async function getStoryFormValues(postId: number): Promise<Record<string, string>> {
  const [row] = await getDb()
    .select({ details: getTableColumns(storyDetails), triedFromTitle: posts.title })
    .from(storyDetails)
    .leftJoin(posts, eq(posts.id, storyDetails.triedFromPostId))
    .where(eq(storyDetails.postId, postId));
  if (!row) return {};
  return { ...storyFormValuesOf(row.details), triedFromTitle: row.triedFromTitle ?? "" };
}

export type StoryFilters = { partner?: StoryPartner; grade?: GradeBand; program?: ProgramType };

/** The conditions of the active filters, leaving out `except` (a facet's counts ignore its own filter). */
function filterConditions(filters: StoryFilters, except?: keyof StoryFilters): SQL[] {
  const conditions: SQL[] = [eq(posts.status, "published"), eq(posts.kind, "story")];
  if (filters.partner && except !== "partner") {
    conditions.push(arrayContains(storyDetails.partners, [filters.partner]));
  }
  if (filters.grade && except !== "grade") {
    conditions.push(arrayContains(storyDetails.gradeBands, [filters.grade]));
  }
  if (filters.program && except !== "program") {
    conditions.push(eq(storyDetails.programType, filters.program));
  }
  return conditions;
}

/**
 * Published Success stories, newest first, a page at a time by keyset on
 * (created_at, id). Stories written before they had details are listed too,
 * until a filter asks for something only details can say.
 */
export async function listStories(filters: StoryFilters, cursor: Cursor | null, limit = POSTS_PER_PAGE) {
  const rows = await getDb()
    .select({
      id: posts.id,
      kind: posts.kind,
      title: posts.title,
      slug: posts.slug,
      bodyStart: sql<string>`left(${posts.bodyMd}, 400)`,
      commentCount: posts.commentCount,
      lastActivityAt: posts.lastActivityAt,
      createdKey: sql<string>`to_char(${posts.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      tags: postTagNames,
      authorUsername: users.username,
      authorDisplayName: users.displayName,
      authorLibraryType: users.libraryType,
      story: storyCardColumns,
      triedByCount: sql<number>`(select count(*)::int from story_details f join posts fp on fp.id = f.post_id
        where f.tried_from_post_id = "posts"."id" and fp.status = 'published' and fp.kind = 'story')`,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .leftJoin(storyDetails, eq(storyDetails.postId, posts.id))
    .where(
      and(
        ...filterConditions(filters),
        cursor
          ? sql`(${posts.createdAt}, ${posts.id}) < (${cursor.at}::timestamptz, ${cursor.id})`
          : undefined,
      ),
    )
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor: Cursor | null = rows.length > limit && last ? { at: last.createdKey, id: last.id } : null;
  return { stories: page, nextCursor };
}

export type StoryFacetCounts = {
  partner: Partial<Record<StoryPartner, number>>;
  grade: Partial<Record<GradeBand, number>>;
  program: Partial<Record<ProgramType, number>>;
};

/**
 * How many published stories each facet value would list, given the other
 * active filters: choosing "Teachers" narrows the grade and program counts,
 * and the partner counts still show every partner one could switch to.
 */
export async function countStoryFacets(filters: StoryFilters): Promise<StoryFacetCounts> {
  // A lateral unnest counts a story once under each of its partners (or grade bands).
  const countValues = (values: SQL, except: keyof StoryFilters) =>
    executeRows<{ value: string; count: number }>(sql`
      select facet.value::text as value, count(*)::int as count
      from ${storyDetails} join ${posts} on ${posts.id} = ${storyDetails.postId}
      cross join lateral unnest(${values}) as facet(value)
      where ${and(...filterConditions(filters, except))}
      group by facet.value`);
  const [partnerRows, gradeRows, programRows] = await Promise.all([
    countValues(sql`${storyDetails.partners}`, "partner"),
    countValues(sql`${storyDetails.gradeBands}`, "grade"),
    countValues(sql`array[${storyDetails.programType}]`, "program"),
  ]);
  const toRecord = (rows: { value: string; count: number }[]) =>
    Object.fromEntries(rows.map((row) => [row.value, row.count]));
  return { partner: toRecord(partnerRows), grade: toRecord(gradeRows), program: toRecord(programRows) };
}

/**
 * The Success story part of a submitted post form, parsed, with its
 * follow-up link checked: it must name a published story other than the post
 * itself. On an edit, the link the story already has is kept as it is, even
 * if that story has since been hidden.
 */
export async function parseStoryPart(
  formData: FormData,
  editingPostId?: number,
): Promise<ReturnType<typeof parseStoryForm>> {
  const story = parseStoryForm(formData);
  const triedFrom = story.ok ? story.data?.triedFrom : undefined;
  if (!triedFrom) return story;
  if (editingPostId !== undefined) {
    const [stored] = await getDb()
      .select({ triedFromPostId: storyDetails.triedFromPostId })
      .from(storyDetails)
      .where(eq(storyDetails.postId, editingPostId));
    if (stored?.triedFromPostId === triedFrom) return story;
  }
  if (triedFrom === editingPostId || !(await isPublishedStory(triedFrom))) {
    return {
      ok: false,
      errors: {
        triedFrom: ["The story you are following up on is not published, so this can't be linked to it."],
      },
    };
  }
  return story;
}

/** A demo story's details, for the seeder; a follow-up names the earlier demo story by its title. */
export async function insertDemoStoryDetails(tx: Transaction, postId: number, story: DemoStory) {
  let triedFrom: number | undefined;
  if (story.triedFrom) {
    const [original] = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.title, story.triedFrom), eq(posts.kind, "story")));
    if (!original) throw new Error(`A demo story follows an unknown story: ${story.triedFrom}`);
    triedFrom = original.id;
  }
  await saveStoryDetails(tx, postId, {
    programType: story.programType,
    partners: story.partners,
    gradeBands: story.gradeBands,
    reach: story.reach ?? null,
    outcomeMeasure: story.outcome?.measure ?? null,
    outcomeBefore: story.outcome?.before ?? null,
    outcomeAfter: story.outcome?.after ?? null,
    staffHours: story.staffHours ?? null,
    wouldChange: story.wouldChange ?? "",
    triedFrom,
  });
}
