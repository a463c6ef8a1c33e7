import { z } from "zod";
import { libraryTypes } from "./library-types";
import { PASSWORD_MAX, PASSWORD_MIN } from "./limits";

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
    .regex(/^[a-z0-9_-]+$/, "Use only lowercase letters, digits, _ and -."),
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

export const profileSchema = z.object({
  displayName: displayNameField,
  libraryType: libraryTypeField,
  community: communityField,
  bio: bioField,
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
