import type { GradeBand } from "./grade-bands";

// The structured part of a Success story: values as stored (the enums of
// story_details), labels as shown. No imports beyond types, so the composer
// and the cards can use it without pulling zod into the browser.

export const STORY_PARTNERS = [
  "school_library",
  "public_library",
  "teachers",
  "administrators",
  "families",
  "other",
] as const;
export type StoryPartner = (typeof STORY_PARTNERS)[number];

export const STORY_PARTNER_LABELS: Record<StoryPartner, string> = {
  school_library: "School library",
  public_library: "Public library",
  teachers: "Teachers",
  administrators: "Administrators",
  families: "Families",
  other: "Other",
};

export const PROGRAM_TYPES = [
  "curriculum_booklist",
  "summer_reading",
  "teacher_workshop",
  "class_visit",
  "library_card_drive",
  "author_visit",
  "advocacy",
  "other",
] as const;
export type ProgramType = (typeof PROGRAM_TYPES)[number];

export const PROGRAM_TYPE_LABELS: Record<ProgramType, string> = {
  curriculum_booklist: "Curriculum booklist",
  summer_reading: "Summer reading",
  teacher_workshop: "Teacher workshop / professional-development credit",
  class_visit: "Class visit",
  library_card_drive: "Library-card drive",
  author_visit: "Author visit",
  advocacy: "Advocacy",
  other: "Other",
};

export function isStoryPartner(value: unknown): value is StoryPartner {
  return typeof value === "string" && (STORY_PARTNERS as readonly string[]).includes(value);
}

export function isProgramType(value: unknown): value is ProgramType {
  return typeof value === "string" && (PROGRAM_TYPES as readonly string[]).includes(value);
}

/** The largest number any story field takes: past it, the figure is a typo. */
export const STORY_NUMBER_MAX = 10_000_000;
export const OUTCOME_MEASURE_MAX = 100;
export const WOULD_CHANGE_MAX = 2000;

/** The names of the story part's form fields; `partners` and `gradeBands` repeat, one per ticked box. */
export const STORY_FIELD_NAMES = [
  "partners",
  "gradeBands",
  "programType",
  "reach",
  "outcomeMeasure",
  "outcomeBefore",
  "outcomeAfter",
  "staffHours",
  "wouldChange",
  "triedFrom",
] as const;

/** What a story card shows: a story_details row without its keys. */
export type StoryCardData = {
  programType: ProgramType;
  partners: StoryPartner[];
  gradeBands: GradeBand[];
  reach: number | null;
  outcomeMeasure: string | null;
  outcomeBefore: number | null;
  outcomeAfter: number | null;
  staffHours: number | null;
};

/**
 * The ticked boxes of the two checkbox groups, comma-joined into the kept
 * values of a refused form (formValues keeps only the first of each name).
 * Always present, so a form with every box cleared comes back cleared.
 */
export function storyCheckboxValues(formData: FormData): Record<string, string> {
  return {
    partners: formData.getAll("partners").filter(isString).join(","),
    gradeBands: formData.getAll("gradeBands").filter(isString).join(","),
  };
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

/** A stored story's details as the composer's values, for editing. */
export function storyFormValuesOf(
  details: StoryCardData & { wouldChange: string; triedFromPostId: number | null },
): Record<string, string> {
  const text = (value: number | null) => (value === null ? "" : String(value));
  return {
    partners: details.partners.join(","),
    gradeBands: details.gradeBands.join(","),
    programType: details.programType,
    reach: text(details.reach),
    outcomeMeasure: details.outcomeMeasure ?? "",
    outcomeBefore: text(details.outcomeBefore),
    outcomeAfter: text(details.outcomeAfter),
    staffHours: text(details.staffHours),
    wouldChange: details.wouldChange,
    triedFrom: text(details.triedFromPostId),
  };
}

/** "library cards issued 40 → 310 (+270)". */
export function describeOutcome(
  story: Pick<StoryCardData, "outcomeMeasure" | "outcomeBefore" | "outcomeAfter">,
) {
  if (!story.outcomeMeasure || story.outcomeBefore === null || story.outcomeAfter === null) return null;
  const change = story.outcomeAfter - story.outcomeBefore;
  const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
  return `${story.outcomeMeasure} ${formatCount(story.outcomeBefore)} → ${formatCount(story.outcomeAfter)} (${sign}${formatCount(Math.abs(change))})`;
}

export function formatCount(value: number) {
  return value.toLocaleString("en-US");
}
