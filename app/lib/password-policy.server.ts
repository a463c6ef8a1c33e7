import type { z } from "zod";
import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from "./common-passwords.server";

/**
 * Adds the common-password rule to a form schema. Kept on the server so the
 * list never ships to the browser; its message lands beside the field like
 * every other.
 */
export function withPasswordPolicy<Shape extends Record<string, unknown>, Field extends keyof Shape & string>(
  schema: z.ZodType<Shape>,
  field: Field,
) {
  return schema.superRefine((data, context) => {
    const password = data[field];
    if (typeof password === "string" && isCommonPassword(password)) {
      context.addIssue({ code: "custom", path: [field], message: COMMON_PASSWORD_MESSAGE });
    }
  });
}
