import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { Pager } from "~/components/pager";
import { PostSummary } from "~/components/post-summary";
import { decodeCursor, encodeCursor } from "~/lib/cursor";
import { GRADE_BAND_LABELS, GRADE_BANDS, isGradeBand } from "~/lib/grade-bands";
import { invariantResponse } from "~/lib/http.server";
import { originFrom, pageMeta } from "~/lib/seo";
import {
  isProgramType,
  isStoryPartner,
  PROGRAM_TYPE_LABELS,
  PROGRAM_TYPES,
  STORY_PARTNER_LABELS,
  STORY_PARTNERS,
} from "~/lib/story-fields";
import { plainExcerpt } from "~/lib/text";
import { countStoryFacets, listStories, type StoryFilters } from "~/models/stories.server";

export function meta({ data, matches }: Parameters<MetaFunction<typeof loader>>[0]) {
  return pageMeta({
    title: "Success stories",
    description:
      "What worked when school and public libraries teamed up: programs, partners, grade bands and the numbers before and after.",
    path: data ? storiesHref(data.filters) : "/stories",
    origin: originFrom(matches),
  });
}

/** The list's address for `filters`, leaving out what is not set. */
function storiesHref(filters: StoryFilters, cursor?: string) {
  const search = new URLSearchParams();
  if (filters.partner) search.set("partner", filters.partner);
  if (filters.grade) search.set("grade", filters.grade);
  if (filters.program) search.set("program", filters.program);
  if (cursor) search.set("cursor", cursor);
  const text = search.toString();
  return text ? `/stories?${text}` : "/stories";
}

export async function loader({ request }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const partner = search.get("partner");
  invariantResponse(
    partner === null || isStoryPartner(partner),
    `There is no partner called "${partner}". Try one of: ${STORY_PARTNERS.join(", ")}.`,
  );
  const grade = search.get("grade");
  invariantResponse(
    grade === null || isGradeBand(grade),
    `There is no grade band called "${grade}". Try one of: ${GRADE_BANDS.join(", ")}.`,
  );
  const program = search.get("program");
  invariantResponse(
    program === null || isProgramType(program),
    `There is no program type called "${program}". Try one of: ${PROGRAM_TYPES.join(", ")}.`,
  );
  const cursorParameter = search.get("cursor");
  const cursor = cursorParameter === null ? null : decodeCursor(cursorParameter);
  invariantResponse(
    cursorParameter === null || cursor,
    "That page link is not valid. Start again from the first page.",
  );
  const filters: StoryFilters = {
    partner: partner ?? undefined,
    grade: grade ?? undefined,
    program: program ?? undefined,
  };
  const [{ stories, nextCursor }, facets] = await Promise.all([
    listStories(filters, cursor),
    countStoryFacets(filters),
  ]);
  return {
    filters,
    facets,
    stories: stories.map(({ bodyStart, createdKey: _createdKey, ...story }) => ({
      ...story,
      excerpt: plainExcerpt(bodyStart),
    })),
    nextCursor: nextCursor ? encodeCursor(nextCursor) : null,
    isFirstPage: cursor === null,
    now: new Date(),
  };
}

type Facet = {
  key: keyof StoryFilters;
  label: string;
  values: readonly string[];
  labels: Record<string, string>;
};

const facets: Facet[] = [
  { key: "partner", label: "Partners", values: STORY_PARTNERS, labels: STORY_PARTNER_LABELS },
  { key: "grade", label: "Grade band", values: GRADE_BANDS, labels: GRADE_BAND_LABELS },
  { key: "program", label: "Program type", values: PROGRAM_TYPES, labels: PROGRAM_TYPE_LABELS },
];

export default function Stories() {
  const { filters, facets: counts, stories, nextCursor, isFirstPage, now } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.partner || filters.grade || filters.program);
  return (
    <div className="stories">
      <h1>Success stories</h1>
      <p>
        Programs that worked when school and public libraries teamed up, with who took part, for which grades,
        and what changed. Tried one yourself? Open the story and choose <strong>I tried this</strong>.
      </p>
      <div className="story-facets">
        {facets.map((facet) => (
          <nav key={facet.key} aria-labelledby={`facet-${facet.key}`} className="kind-filter story-facet">
            <h2 id={`facet-${facet.key}`}>{facet.label}</h2>
            <ul>
              {facet.values.map((value) => {
                const active = filters[facet.key] === value;
                const count = (counts[facet.key] as Record<string, number | undefined>)[value] ?? 0;
                const text = `${facet.labels[value]} (${count})`;
                return (
                  <li key={value}>
                    {active ? (
                      // Choosing the chosen value again lifts that filter.
                      <Link to={storiesHref({ ...filters, [facet.key]: undefined })} aria-current="page">
                        {text}
                      </Link>
                    ) : count > 0 ? (
                      <Link to={storiesHref({ ...filters, [facet.key]: value })}>{text}</Link>
                    ) : (
                      <span className="muted">{text}</span>
                    )}
                  </li>
                );
              })}
            </ul>
          </nav>
        ))}
      </div>
      {filtered ? (
        <p>
          <Link to="/stories">Clear filters</Link>
        </p>
      ) : null}
      {stories.length > 0 ? (
        <ol className="post-list">
          {stories.map((story) => (
            <li key={story.id}>
              <PostSummary post={story} now={now} />
              {story.triedByCount > 0 ? (
                <p className="muted story-tried-count">
                  Tried by {story.triedByCount} {story.triedByCount === 1 ? "library" : "libraries"}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">
          {filtered ? "No stories match these filters yet." : "No success stories yet."}
        </p>
      )}
      <Pager
        first={isFirstPage ? null : { href: storiesHref(filters), label: "First page" }}
        nextHref={nextCursor ? storiesHref(filters, nextCursor) : null}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
