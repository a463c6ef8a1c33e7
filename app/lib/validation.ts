import { z } from "zod";
import { libraryTypes } from "./library-types";
import { BODY_MAX, COMMENT_MAX, PASSWORD_MAX, PASSWORD_MIN, TAGS_MAX, TITLE_MAX, TITLE_MIN } from "./limits";
import { postKinds } from "./post-kinds";
import { GRADE_BANDS } from "./grade-bands";
import {
  OUTCOME_MEASURE_MAX,
  PROGRAM_TYPES,
  STORY_FIELD_NAMES,
  STORY_NUMBER_MAX,
  STORY_PARTNERS,
  WOULD_CHANGE_MAX,
} from "./story-fields";

// The limits and messages of every form, shared by the action that enforces
// them and the form that shows them.

export { PASSWORD_MAX, PASSWORD_MIN, RESET_TOKEN_MINUTES } from "./limits";

const trimmed = (schema: z.ZodString) =>
  z.preprocess((value) => (typeof value === "string" ? value.trim() : value), schema);

export const emailField = trimmed(
  z
    .string({ error: "Enter your e-mail address." })
    .min(1, "Enter your e-mail address.")
    .max(254, "That e-mail address is too long.")
    .email("Enter an e-mail address like name@library.org."),
);

// Passwords are taken exactly as typed: no trimming, no composition rules (NIST SP 800-63B).
export const newPasswordField = z
  .string({ error: "Choose a password." })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const displayNameField = trimmed(
  z
    .string({ error: "Enter the name people will see." })
    .min(1, "Enter the name people will see.")
    .max(60, "Keep your display name to 60 characters."),
);

export const usernameField = trimmed(
  z
    .string({ error: "Choose a username." })
    .min(3, "Use at least 3 characters.")
    .max(30, "Use at most 30 characters.")
    .regex(/^[a-z0-9_-]+$/, "Use only lowercase letters, digits, _ and -.")
    // Deleted accounts are renamed deleted-<id> (member-data.server.ts).
    .refine(
      (value) => !value.startsWith("deleted-"),
      'Usernames starting with "deleted-" are kept for deleted accounts.',
    ),
);

export const libraryTypeField = z.enum(libraryTypes, {
  error: "Choose the kind of library you work in.",
});

export const communityField = trimmed(
  z.string().max(100, "Keep the community to 100 characters."),
).optional();

export const bioField = trimmed(z.string().max(2000, "Keep your bio to 2,000 characters.")).optional();

export const joinSchema = z.object({
  displayName: displayNameField,
  username: usernameField,
  email: emailField,
  password: newPasswordField,
  libraryType: libraryTypeField,
  community: communityField,
});

export const loginSchema = z.object({
  email: emailField,
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(PASSWORD_MAX * 4),
  redirectTo: z.string().optional(),
});

export const regionField = trimmed(z.string().max(60, "Keep the region to 60 characters.")).optional();

/** An HTML checkbox: sent as "on" when ticked, left out when not. */
const checkboxField = z
  .literal("on")
  .optional()
  .transform((value) => value === "on");

export const profileSchema = z.object({
  displayName: displayNameField,
  libraryType: libraryTypeField,
  community: communityField,
  region: regionField,
  openToPartnering: checkboxField,
  acceptsIntroductions: checkboxField,
  bio: bioField,
});

export const INTRODUCTION_MAX = 1000;

export const introductionSchema = z.object({
  message: trimmed(
    z
      .string({ error: "Write a few words about you and your library." })
      .min(1, "Write a few words about you and your library.")
      .max(INTRODUCTION_MAX, "Keep the message to 1,000 characters."),
  ),
});

export const passwordChangeSchema = z.object({
  currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
  newPassword: newPasswordField,
});

export const forgotPasswordSchema = z.object({ email: emailField });

export const resetPasswordSchema = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "This reset link is not valid."),
  password: newPasswordField,
});

// Writing ----------------------------------------------------------------

export const titleField = trimmed(
  z
    .string({ error: "Give your post a title." })
    .min(TITLE_MIN, `Use at least ${TITLE_MIN} characters, so people know what it is about.`)
    .max(TITLE_MAX, `Keep the title to ${TITLE_MAX} characters.`),
);

export const postKindField = z.enum(postKinds, { error: "Choose the type of post." });

export const postBodyField = z
  .string({ error: "Write the body of your post." })
  .max(BODY_MAX, `Keep the body to ${BODY_MAX.toLocaleString("en-US")} characters.`)
  .refine((value) => value.trim().length > 0, "Write the body of your post.");

export const commentBodyField = z
  .string({ error: "Write your comment." })
  .max(COMMENT_MAX, `Keep your comment to ${COMMENT_MAX.toLocaleString("en-US")} characters.`)
  .refine((value) => value.trim().length > 0, "Write your comment.");

const TAG_PATTERN = /^[a-z0-9-]{2,30}$/;

/** "Summer Reading, booklists ,booklists" → ["summer-reading", "booklists"]. */
export function normaliseTags(input: string): string[] {
  const names = input
    .split(",")
    .map((name) => name.trim().toLowerCase().replace(/\s+/g, "-"))
    .filter((name) => name.length > 0);
  return [...new Set(names)];
}

export const tagsField = z
  .string()
  .optional()
  .transform((value, context) => {
    const names = normaliseTags(value ?? "");
    const invalid = names.filter((name) => !TAG_PATTERN.test(name));
    if (invalid.length > 0) {
      context.addIssue({
        code: "custom",
        message: `Tags are 2–30 lowercase letters, digits or hyphens; ${invalid.map((name) => `"${name}"`).join(", ")} ${invalid.length === 1 ? "is" : "are"} not.`,
      });
      return z.NEVER;
    }
    if (names.length > TAGS_MAX) {
      context.addIssue({ code: "custom", message: `Use at most ${TAGS_MAX} tags.` });
      return z.NEVER;
    }
    return names;
  });

/** A random key the form carries so that submitting it twice makes one item. */
export const submissionKeyField = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/)
  .optional()
  .catch(undefined);

export const postSchema = z.object({
  title: titleField,
  kind: postKindField,
  body: postBodyField,
  tags: tagsField,
  submissionKey: submissionKeyField,
});

const optionalId = z
  .string()
  .optional()
  .transform((value, context) => {
    if (value === undefined || value === "") return undefined;
    if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2_147_483_647) {
      context.addIssue({ code: "custom", message: "That comment does not exist." });
      return z.NEVER;
    }
    return Number(value);
  });

export const commentSchema = z.object({
  body: commentBodyField,
  parentId: optionalId,
  submissionKey: submissionKeyField,
});

export const commentEditSchema = z.object({ body: commentBodyField });

export type FieldErrors = Record<string, string[] | undefined>;

/** Form data as a plain object of strings (the first value of each name). */
export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !(key in values)) values[key] = value;
  }
  return values;
}

/**
 * Parses a submitted form: the typed data, or the messages per field together
 * with what the person typed (minus any password) to put back in the form.
 */
export function parseForm<Schema extends z.ZodType>(
  schema: Schema,
  formData: FormData,
): { ok: true; data: z.infer<Schema> } | { ok: false; errors: FieldErrors; values: Record<string, string> } {
  const values = formValues(formData);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    errors: z.flattenError(result.error).fieldErrors as FieldErrors,
    values: withoutPasswords(values),
  };
}

/** A password is never sent back to the browser, not even to the person who typed it. */
export function withoutPasswords(values: Record<string, string>) {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !/password/i.test(key)));
}

// Success stories ------------------------------------------------------------

/** An optional whole number of a story (reach, staff hours, the outcome's figures). */
const storyNumber = (what: string) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      const text = value?.trim().replace(/,/g, "") ?? "";
      if (text === "") return null;
      if (!/^\d+$/.test(text)) {
        context.addIssue({ code: "custom", message: `Enter ${what} as a whole number, like 120.` });
        return z.NEVER;
      }
      if (Number(text) > STORY_NUMBER_MAX) {
        context.addIssue({
          code: "custom",
          message: `Enter ${what} up to ${STORY_NUMBER_MAX.toLocaleString("en-US")}.`,
        });
        return z.NEVER;
      }
      return Number(text);
    });

export const storySchema = z
  .object({
    partners: z.array(z.enum(STORY_PARTNERS, { error: "Choose partners from the list." })),
    gradeBands: z.array(z.enum(GRADE_BANDS, { error: "Choose grade bands from the list." })),
    programType: z.enum(PROGRAM_TYPES, { error: "Choose the kind of program." }),
    reach: storyNumber("the number of students or families"),
    outcomeMeasure: trimmed(
      z.string().max(OUTCOME_MEASURE_MAX, `Keep the outcome measure to ${OUTCOME_MEASURE_MAX} characters.`),
    ).optional(),
    outcomeBefore: storyNumber("the number before"),
    outcomeAfter: storyNumber("the number after"),
    staffHours: storyNumber("the staff hours"),
    wouldChange: trimmed(
      z
        .string()
        .max(
          WOULD_CHANGE_MAX,
          `Keep “What I would change” to ${WOULD_CHANGE_MAX.toLocaleString("en-US")} characters.`,
        ),
    ).optional(),
    triedFrom: optionalId,
  })
  .transform((story, context) => {
    // An outcome is a measure with both of its figures, or nothing at all.
    const measure = story.outcomeMeasure || null;
    const hasBefore = story.outcomeBefore !== null;
    const hasAfter = story.outcomeAfter !== null;
    if (!measure && (hasBefore || hasAfter)) {
      context.addIssue({
        code: "custom",
        path: ["outcomeMeasure"],
        message: "Say what the numbers measure, such as library cards issued.",
      });
    }
    if ((measure || hasBefore || hasAfter) && !hasBefore) {
      context.addIssue({ code: "custom", path: ["outcomeBefore"], message: "Enter the number before." });
    }
    if ((measure || hasBefore || hasAfter) && !hasAfter) {
      context.addIssue({ code: "custom", path: ["outcomeAfter"], message: "Enter the number after." });
    }
    return { ...story, outcomeMeasure: measure, wouldChange: story.wouldChange ?? "" };
  });

export type StoryInput = z.infer<typeof storySchema>;

/**
 * The Success story part of the post form. Only a story has one: for any
 * other kind the part is ignored (without JavaScript its fields are always on
 * the page) and the answer is `null`. A story left with the part blank has
 * none either, so a story written with just Title, Type and Body still
 * publishes; once anything of it is filled in, it needs its program type.
 */
export function parseStoryForm(
  formData: FormData,
): { ok: true; data: StoryInput | null } | { ok: false; errors: FieldErrors } {
  if (formData.get("kind") !== "story") return { ok: true, data: null };
  const blank = STORY_FIELD_NAMES.every((name) =>
    formData.getAll(name).every((value) => typeof value === "string" && value.trim() === ""),
  );
  if (blank) return { ok: true, data: null };
  const input = {
    ...formValues(formData),
    partners: formData.getAll("partners"),
    gradeBands: formData.getAll("gradeBands"),
  };
  const result = storySchema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors = z.flattenError(result.error).fieldErrors as FieldErrors;
  if (errors.triedFrom) errors.triedFrom = ["The story you are following up on is not available."];
  return { ok: false, errors };
}
