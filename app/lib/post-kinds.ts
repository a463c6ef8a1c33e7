import type { PostKind } from "~/db/schema";

export const postKinds = ["question", "idea", "story", "discussion"] as const satisfies readonly PostKind[];

/** The names people see, as in the SPEC's Type field. */
export const postKindLabels: Record<PostKind, string> = {
  question: "Question",
  idea: "Idea",
  story: "Success story",
  discussion: "Discussion",
};

export function isPostKind(value: string): value is PostKind {
  return (postKinds as readonly string[]).includes(value);
}

/** Plural names for list headings and filters. */
export const postKindPluralLabels: Record<PostKind, string> = {
  question: "Questions",
  idea: "Ideas",
  story: "Success stories",
  discussion: "Discussions",
};
