// Limits that forms show and actions enforce (app/lib/validation.ts); kept free
// of imports so pages can show them without shipping the validator.

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
/** How long a password-reset link works. */
export const RESET_TOKEN_MINUTES = 60;
